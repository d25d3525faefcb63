package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an agent is. */
public enum AgentKind implements Wire {
    PROVIDER("provider"),
    CHANNEL("channel"),
    ORCHESTRATOR("orchestrator"),
    SYSTEM("system"),
    USER("user");

    private final String wire;

    AgentKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
