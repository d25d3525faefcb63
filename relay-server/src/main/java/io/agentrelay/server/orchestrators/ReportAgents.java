package io.agentrelay.server.orchestrators;

import io.agentrelay.server.errors.RelayError;
import java.util.List;

/** {@code PATCH /api/orchestrators/:id/agents}: the sessions an orchestrator runs now, replacing the ones it reported before. */
public record ReportAgents(List<AgentEntry> agents) {
    public static final int MAX_AGENTS = 500;

    public ReportAgents {
        if (agents.size() > MAX_AGENTS) {
            throw new RelayError.InvalidInput("agents", "must have at most " + MAX_AGENTS + " entries");
        }
        agents = List.copyOf(agents);
    }
}
