package io.agentrelay.server.orchestrators;

import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.messages.AgentAction;

/**
 * {@code POST /api/orchestrators/:id/actions}: restart or shut down one managed agent
 * ({@code agentId}) or, without one, all of them. {@code reason} defaults to {@code manual}.
 */
public record ActOnAgents(AgentAction action, String agentId, String policyName, String spawnRequestId,
                          String tmuxSession, String reason, String requestedBy) {
    public static final int MAX_TMUX_SESSION = 200;
    public static final int MAX_REASON = 200;

    public ActOnAgents {
        if (action == null) {
            throw new RelayError.InvalidInput("action", "required");
        }
        Require.optionalText("agentId", agentId, AgentEntry.MAX_AGENT_ID);
        agentId = agentId == null || agentId.isBlank() ? null : agentId;
        Require.optionalText("policyName", policyName, SpawnAgent.MAX_POLICY_NAME);
        Require.optionalText("spawnRequestId", spawnRequestId, SpawnAgent.MAX_SPAWN_REQUEST_ID);
        Require.optionalText("tmuxSession", tmuxSession, MAX_TMUX_SESSION);
        Require.optionalText("reason", reason, MAX_REASON);
        reason = reason == null || reason.isBlank() ? "manual" : reason;
        requestedBy = SpawnAgent.requestedBy(requestedBy);
    }
}
