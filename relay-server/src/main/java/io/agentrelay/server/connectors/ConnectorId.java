package io.agentrelay.server.connectors;

import io.agentrelay.server.errors.RelayError;
import java.util.regex.Pattern;

/**
 * A connector's id: 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 _ . -}, not starting
 * with a dot. The rule makes an id safe as a file name in the connectors folder ({@code <id>.json}):
 * no separator, no {@code ..}, no hidden file.
 */
public final class ConnectorId {
    public static final int MAX_LENGTH = 100;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}");

    private ConnectorId() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** {@code id}, or a 400 naming {@code field}. */
    public static String require(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new RelayError.InvalidInput(field, "is required");
        }
        if (!isValid(id)) {
            throw new RelayError.InvalidInput(field, "must be 1-" + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 _ . - not starting with a dot");
        }
        return id;
    }
}
