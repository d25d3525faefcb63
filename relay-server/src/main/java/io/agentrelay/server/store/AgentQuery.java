package io.agentrelay.server.store;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;

/** Filters for listing agents; a null part matches everything. */
public record AgentQuery(AgentStatus status, AgentKind kind, String tag, String capability) {
    public static final AgentQuery ALL = new AgentQuery(null, null, null, null);
}
