package io.agentrelay.api;

/**
 * A provider session an orchestrator runs, as it reports them ({@code PATCH
 * /api/orchestrators/:id/agents}).
 *
 * @param agentId      the relay agent the session registers as ({@code ""} when not known)
 * @param tmuxSession  the tmux session it runs in
 * @param cwd          its working directory
 * @param label        a human name, or null
 * @param pid          its process id, or null
 * @param startedAt    when it started (epoch ms)
 */
public record ManagedAgent(String agentId, Provider provider, String tmuxSession, String cwd, String label,
                           ApprovalMode approvalMode, Long pid, long startedAt) {
}
