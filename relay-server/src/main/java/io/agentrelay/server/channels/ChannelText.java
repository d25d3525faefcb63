package io.agentrelay.server.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;

/**
 * The TypeScript server's {@code cleanString} for channel fields: a string (else 400 {@code <field>
 * must be a string}), at most {@code max} characters, no NUL or lone surrogate (neither can be
 * stored), and when required, present and not empty.
 */
final class ChannelText {
    private ChannelText() {
    }

    static String required(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new RelayError.InvalidInput(field, "is required");
        }
        return optional(field, value, max);
    }

    /** Null for absent or empty. */
    static String optional(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Require.optionalText(field, value, max);
        if (!Require.isValidUnicode(value)) {
            throw new RelayError.InvalidInput(field, "must not contain NUL or lone surrogates");
        }
        return value;
    }

    /** {@code object.name} as text, named {@code field} in errors. */
    static String required(JsonNode object, String name, String field, int max) {
        return required(field, string(object, name, field), max);
    }

    static String optional(JsonNode object, String name, String field, int max) {
        return optional(field, string(object, name, field), max);
    }

    private static String string(JsonNode object, String name, String field) {
        JsonNode value = object == null ? null : object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RelayError.InvalidInput(field, "must be a string");
        }
        return value.textValue();
    }
}
