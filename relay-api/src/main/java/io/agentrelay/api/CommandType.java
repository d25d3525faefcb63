package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a command asks its executor (an orchestrator) to do. */
public enum CommandType implements Wire {
    SPAWN("agent.spawn"),
    RESTART("agent.restart"),
    SHUTDOWN("agent.shutdown");

    private final String wire;

    CommandType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
