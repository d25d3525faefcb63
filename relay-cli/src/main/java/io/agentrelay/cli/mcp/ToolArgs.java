package io.agentrelay.cli.mcp;

import java.util.Map;

/** Reads a tool call's arguments; a missing or mistyped one is a tool error naming it. */
final class ToolArgs {
    private final Map<String, Object> args;

    ToolArgs(Map<String, Object> args) {
        this.args = args == null ? Map.of() : args;
    }

    /** A problem with the arguments, reported to the model as a tool error. */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    String string(String name) {
        Object value = args.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new Invalid("'" + name + "' must be a string");
        }
        return text;
    }

    String requiredString(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw new Invalid("'" + name + "' is required");
        }
        return value;
    }

    Long integer(String name) {
        Object value = args.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
        }
        throw new Invalid("'" + name + "' must be a whole number");
    }

    long requiredInteger(String name) {
        Long value = integer(name);
        if (value == null) {
            throw new Invalid("'" + name + "' is required");
        }
        return value;
    }

    boolean bool(String name) {
        Object value = args.get(name);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new Invalid("'" + name + "' must be true or false");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String name) {
        Object value = args.get(name);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new Invalid("'" + name + "' must be an object");
    }
}
