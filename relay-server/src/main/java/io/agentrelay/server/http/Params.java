package io.agentrelay.server.http;

import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import java.util.Set;

/** Parsing of path and query parameters, with errors that name the parameter. */
final class Params {
    private Params() {
    }

    static long id(String name, String raw, String what) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new RelayError.InvalidInput(null, "invalid " + what + " id: '" + raw + "'");
    }

    static long integer(String name, String raw, long fallback, long min, long max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
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
