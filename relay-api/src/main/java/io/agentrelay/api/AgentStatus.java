package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** An agent's presence. */
public enum AgentStatus implements Wire {
    ONLINE("online"),
    IDLE("idle"),
    BUSY("busy"),
    STALE("stale"),
    OFFLINE("offline");

    private final String wire;

    AgentStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    /** Whether an agent with this status is there to take work: online, idle or busy (not stale or offline). */
    public boolean present() {
        return this == ONLINE || this == IDLE || this == BUSY;
    }
}
