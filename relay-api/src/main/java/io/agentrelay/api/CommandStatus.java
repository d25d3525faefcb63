package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a command is: {@code pending} until its executor accepts it, then {@code accepted},
 * {@code running}, and {@code succeeded} or {@code failed}; {@code canceled} from any unfinished
 * state; {@code expired} when nobody accepted it in time. Which moves are allowed is decided by the
 * relay (docs/api.md, "Commands"); {@link #finished()} tells the states a command never leaves.
 */
public enum CommandStatus implements Wire {
    PENDING("pending"),
    ACCEPTED("accepted"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELED("canceled"),
    EXPIRED("expired");

    private final String wire;

    CommandStatus(String wire) {
        this.wire = wire;
    }

    /** Whether the command is over: succeeded, failed, canceled or expired. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED || this == EXPIRED;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
