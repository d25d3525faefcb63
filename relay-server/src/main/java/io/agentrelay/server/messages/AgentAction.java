package io.agentrelay.server.messages;

import io.agentrelay.api.Wire;

/** What {@code POST /api/agents/:id/actions} may ask an agent to do. */
public enum AgentAction implements Wire {
    RESTART("restart"),
    SHUTDOWN("shutdown");

    private final String wire;

    AgentAction(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
