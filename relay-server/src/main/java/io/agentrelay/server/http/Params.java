package io.agentrelay.server.http;

import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import java.util.Set;

/** Parsing of path and query parameters, with errors that name the parameter. */
final class Params {
    private Params() {
    }

    static long id(String name, String raw, String what) {
        Long id = wholeNumber(raw);
        if (id != null && id > 0) {
            return id;
        }
        throw new RelayError.InvalidInput(null, "invalid " + what + " id: '" + raw + "'");
    }

    /**
     * {@code raw} as a whole number if it is one written in ASCII: an optional '-' and the digits
     * 0-9 only. {@link Long#parseLong} also takes '+' and the digits of every script (a full-width
     * '１' resolved message 1), so one id had many spellings. Null when it is not one, or too large.
     */
    static Long wholeNumber(String raw) {
        if (raw == null) {
            return null;
        }
        int start = raw.startsWith("-") ? 1 : 0;
        if (raw.length() == start || raw.length() > start + 19) {
            return null;
        }
        for (int i = start; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    static long integer(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        Long value = wholeNumber(raw);
        if (value == null) {
            throw new RelayError.InvalidInput(name, "must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new RelayError.InvalidInput(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    static boolean bool(String name, String raw) {
        if (raw == null || raw.isEmpty()) {
            return false;
        }
        if (Set.of("true", "1").contains(raw)) {
            return true;
        }
        if (Set.of("false", "0").contains(raw)) {
            return false;
        }
        throw new RelayError.InvalidInput(name, "must be true or false");
    }

    static <E extends Enum<E> & Wire> E choice(String name, String raw, Class<E> type) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        E value = Wire.find(type, raw);
        if (value == null) {
            throw new RelayError.InvalidInput(name, "must be one of " + Wire.choices(type) + ", got '" + raw + "'");
        }
        return value;
    }
}
