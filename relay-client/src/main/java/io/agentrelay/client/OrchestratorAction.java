package io.agentrelay.client;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link Orchestrators#act} asks: restart or shut down one managed agent, or (with no
 * {@code agentId}) all of them. Start from {@link #restart(String)} or {@link #shutdown(String)};
 * {@code reason} defaults to {@code manual}, {@code requestedBy} to {@code dashboard}.
 */
public record OrchestratorAction(Kind action, String agentId, String tmuxSession, String reason, String policyName,
                                 String spawnRequestId, String requestedBy) {
    /** The two actions. */
    public enum Kind {
        RESTART, SHUTDOWN;

        String wire() {
            return this == RESTART ? "restart" : "shutdown";
        }
    }

    public OrchestratorAction {
        Objects.requireNonNull(action, "action");
    }

    /** Restart managed agent {@code agentId}; null: all of them. */
    public static OrchestratorAction restart(String agentId) {
        return new OrchestratorAction(Kind.RESTART, agentId, null, null, null, null, null);
    }

    /** Shut down managed agent {@code agentId}; null: all of them. */
    public static OrchestratorAction shutdown(String agentId) {
        return new OrchestratorAction(Kind.SHUTDOWN, agentId, null, null, null, null, null);
    }

    public OrchestratorAction withTmuxSession(String value) {
        return new OrchestratorAction(action, agentId, value, reason, policyName, spawnRequestId, requestedBy);
    }

    public OrchestratorAction withReason(String value) {
        return new OrchestratorAction(action, agentId, tmuxSession, value, policyName, spawnRequestId, requestedBy);
    }

    public OrchestratorAction withPolicyName(String value) {
        return new OrchestratorAction(action, agentId, tmuxSession, reason, value, spawnRequestId, requestedBy);
    }

    public OrchestratorAction withSpawnRequestId(String value) {
        return new OrchestratorAction(action, agentId, tmuxSession, reason, policyName, value, requestedBy);
    }

    public OrchestratorAction withRequestedBy(String value) {
        return new OrchestratorAction(action, agentId, tmuxSession, reason, policyName, spawnRequestId, value);
    }

    Map<String, Object> body() {
        return Transport.body("action", action.wire(), "agentId", agentId, "tmuxSession", tmuxSession, "reason", reason,
                "policyName", policyName, "spawnRequestId", spawnRequestId, "requestedBy", requestedBy);
    }
}
