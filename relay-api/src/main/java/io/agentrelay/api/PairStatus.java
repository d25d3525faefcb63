package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a working pair is: {@code pending} from the invitation until the invitee answers or the
 * invitation times out; {@code active} once the invitee accepts; then {@code ended} when either
 * member ends it. {@code rejected} (the invitee declined) and {@code expired} (nobody answered in
 * time) close a pending pair. {@link #open()} tells the two states that hold the members' one
 * pair slot.
 */
public enum PairStatus implements Wire {
    PENDING("pending"),
    ACTIVE("active"),
    ENDED("ended"),
    REJECTED("rejected"),
    EXPIRED("expired");

    private final String wire;

    PairStatus(String wire) {
        this.wire = wire;
    }

    /** Pending or active: the two agents cannot open another pair while this one is open. */
    public boolean open() {
        return this == PENDING || this == ACTIVE;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
