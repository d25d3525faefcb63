package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much a spawned provider session may do without asking: everything, the guarded default, or read only. */
public enum ApprovalMode implements Wire {
    OPEN("open"),
    GUARDED("guarded"),
    READ_ONLY("read-only");

    private final String wire;

    ApprovalMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
