package io.agentrelay.cli.client;

import io.agentrelay.client.RelayException;

/**
 * What an {@code agent-relay} client command's exit status means (documented in docs/cli.md), so a
 * script can tell "nothing to do" from "relay down" from "someone else got it".
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** Anything unexpected: the relay failed (5xx) or the command hit a bug. */
    public static final int ERROR = 1;
    /** Bad arguments or options, or the relay rejected the input (400, 413, 422). */
    public static final int USAGE = 2;
    /** The relay could not be reached: not running, wrong URL, timeout. */
    public static final int UNREACHABLE = 3;
    /** No such agent, message or task (404). */
    public static final int NOT_FOUND = 4;
    /**
     * The state does not allow it (409): claimed by another agent, not claimed by you, stale session,
     * a task move its lifecycle does not allow, a config key not at the version {@code --if-version} named.
     */
    public static final int CONFLICT = 5;
    /** Wrong or missing token (401), or not allowed (403). */
    public static final int DENIED = 6;
    /** {@code watch --count N --timeout S}: the time ran out before N events arrived. */
    public static final int TIMED_OUT = 7;

    private ExitCodes() {
    }

    public static int of(RelayException error) {
        return switch (error) {
            case RelayException.InvalidInput ignored -> USAGE;
            case RelayException.Unavailable ignored -> UNREACHABLE;
            case RelayException.NotFound ignored -> NOT_FOUND;
            case RelayException.Conflict ignored -> CONFLICT;
            case RelayException.Unauthorized ignored -> DENIED;
            case RelayException.Forbidden ignored -> DENIED;
            default -> ERROR;
        };
    }
}
