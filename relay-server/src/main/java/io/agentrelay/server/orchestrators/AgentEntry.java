package io.agentrelay.server.orchestrators;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Provider;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;

/**
 * One entry of {@code PATCH /api/orchestrators/:id/agents}, validated: the TypeScript server's
 * {@code ManagedAgent} rules. {@code startedAt} null means "now", filled in by the service.
 */
public record AgentEntry(String agentId, Provider provider, String tmuxSession, String cwd, String label,
                         ApprovalMode approvalMode, Long pid, Long startedAt) {
    public static final int MAX_AGENT_ID = 240;
    public static final int MAX_TMUX_SESSION = 240;
    public static final int MAX_LABEL = 120;
    /** JavaScript's largest safe integer: a pid beyond it would not survive the TypeScript side. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /**
     * Validates an entry; errors name the field after {@code prefix}, e.g.
     * {@code agents[0].tmuxSession is required}.
     */
    public static AgentEntry of(String prefix, String agentId, Provider provider, String tmuxSession, String cwd,
                                String label, ApprovalMode approvalMode, Long pid, Long startedAt) {
        Require.optionalText(prefix + "agentId", agentId, MAX_AGENT_ID);
        if (provider == null) {
            throw new RelayError.InvalidInput(prefix + "provider", "is required");
        }
        Require.text(prefix + "tmuxSession", tmuxSession, MAX_TMUX_SESSION);
        Require.text(prefix + "cwd", cwd, RegisterOrchestrator.MAX_PATH);
        if (pid != null) {
            Require.range(prefix + "pid", pid, 0, MAX_SAFE_INTEGER);
        }
        if (startedAt != null) {
            Require.range(prefix + "startedAt", startedAt, 0, MAX_SAFE_INTEGER);
        }
        return new AgentEntry(agentId == null ? "" : agentId, provider, tmuxSession, cwd,
                Require.label(prefix + "label", label, MAX_LABEL), approvalMode == null ? ApprovalMode.GUARDED : approvalMode,
                pid, startedAt);
    }

    ManagedAgent at(long now) {
        return new ManagedAgent(agentId, provider, tmuxSession, cwd, label, approvalMode, pid,
                startedAt == null ? now : startedAt);
    }
}
