package io.agentrelay.server.messages;

import io.agentrelay.api.Wire;

/** What {@code POST /api/agents/:id/actions} may ask an agent to do. */
public enum AgentAction implements Wire {
    RESTART("restart", "restart", "Restart requested"),
    SHUTDOWN("shutdown", "shut down", "Shutdown requested");

    /** Who asks when the request does not say: the TypeScript server's only caller. */
    public static final String DASHBOARD = "dashboard";
    public static final int MAX_REQUESTED_BY = 200;

    private final String wire;
    private final String verb;
    private final String title;

    AgentAction(String wire, String verb, String title) {
        this.wire = wire;
        this.verb = verb;
        this.title = title;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The action in a sentence: "… that this agent {verb} its relay-managed session now". */
    public String verb() {
        return verb;
    }

    /** The control message's subject. */
    public String title() {
        return title;
    }
}
