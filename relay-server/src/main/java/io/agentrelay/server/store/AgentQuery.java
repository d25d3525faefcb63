package io.agentrelay.server.store;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;

/**
 * Filters for listing agents, ordered by id; a null part matches everything. {@code after} (an
 * agent id, exclusive) and {@code limit} page the list; a {@code limit} of 0 means no limit.
 */
public record AgentQuery(AgentStatus status, AgentKind kind, String tag, String capability, String after, int limit) {
    public static final AgentQuery ALL = new AgentQuery(null, null, null, null, null, 0);

    public AgentQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
    }

    public AgentQuery(AgentStatus status, AgentKind kind, String tag, String capability) {
        this(status, kind, tag, capability, null, 0);
    }
}
