package io.agentrelay.server.errors;

import io.agentrelay.api.Target;
import java.util.List;

/** Invariant checks for command records; each failure names the field it is about. */
public final class Require {
    private Require() {
    }

    public static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new RelayError.InvalidInput(field, "is required");
        }
        return optionalText(field, value, maxLength);
    }

    public static String optionalText(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new RelayError.InvalidInput(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** An agent id: required, a plain id (not a {@code tag:}-style target), at most 200 characters. */
    public static String agentId(String field, String value) {
        text(field, value, Target.MAX_LENGTH);
        Target target = target(field, value);
        if (!(target instanceof Target.Agent)) {
            throw new RelayError.InvalidInput(field, "must be an agent id, not the target '" + value + "'");
        }
        return value;
    }

    public static Target target(String field, String value) {
        if (value == null) {
            throw new RelayError.InvalidInput(field, "is required");
        }
        try {
            return Target.parse(value);
        } catch (IllegalArgumentException e) {
            throw new RelayError.InvalidInput(field, e.getMessage());
        }
    }

    /**
     * A label: a human name such as "backend fixer", so spaces are allowed; trimmed (a blank one is
     * no label, null), at most {@code maxLength} characters, no control characters.
     */
    public static String label(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String label = value.strip();
        if (label.length() > maxLength) {
            throw new RelayError.InvalidInput(field, "must be at most " + maxLength + " characters");
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            throw new RelayError.InvalidInput(field, "must not contain control characters");
        }
        return label;
    }

    public static List<String> names(String field, List<String> values, int maxItems, int maxLength) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxItems) {
            throw new RelayError.InvalidInput(field, "must have at most " + maxItems + " entries");
        }
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new RelayError.InvalidInput(field, "must not contain empty entries");
            }
            if (value.length() > maxLength) {
                throw new RelayError.InvalidInput(field, "entries must be at most " + maxLength + " characters");
            }
            if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new RelayError.InvalidInput(field, "entries must not contain whitespace");
            }
        }
        return values.stream().distinct().toList();
    }

    /**
     * A name a client chose that travels as one URL path segment (a config namespace or key):
     * required, at most {@code maxLength} characters, no whitespace, no {@code /}, no control
     * characters, valid Unicode, and not {@code .} or {@code ..} (a URL cannot address those: they
     * are path steps). U+FFFD is refused too: the router decodes every malformed percent-encoding
     * ({@code %FF}, {@code %ED%A0%80}) to it, so such names would all be one name.
     */
    public static String pathName(String field, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw new RelayError.InvalidInput(field, "is required");
        }
        if (value.length() > maxLength) {
            throw new RelayError.InvalidInput(field, "must be at most " + maxLength + " characters");
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw new RelayError.InvalidInput(field, "must be UTF-8 once percent-decoded (U+FFFD, the replacement "
                    + "character, is refused too)");
        }
        if (!isValidUnicode(value) || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c) || c == '/')) {
            throw new RelayError.InvalidInput(field, "must not contain whitespace, '/', control characters or lone "
                    + "surrogates");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new RelayError.InvalidInput(field, "must not be '.' or '..'");
        }
        return value;
    }

    /**
     * Whether every surrogate in {@code text} is half of a pair, in the right order, and no char is
     * NUL: what a string must be to be stored and rendered again (a lone surrogate was stored as
     * {@code ?}, so distinct strings collided; PostgreSQL cannot store NUL in text).
     */
    public static boolean isValidUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return false;
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new RelayError.InvalidInput(field, "must be between " + min + " and " + max);
        }
        return value;
    }
}
