package io.agentrelay.api;

import java.util.List;
import java.util.Map;

/**
 * A host process that starts and stops provider sessions (Claude, Codex) in tmux on behalf of the
 * relay. It registers and heartbeats like an agent; the commands for it are addressed to its inbox
 * agent, {@code agentId}. Times are epoch milliseconds.
 *
 * @param baseDir   the folder every session it starts must work in (an absolute POSIX path)
 * @param envKeys   names of the environment variables it passes to sessions (never their values)
 * @param apiUrl    the base URL of its own HTTP API, as registered; the relay does not call it
 * @param agentId   its inbox agent: commands to it are addressed there
 * @param agents    the sessions it runs, as it last reported them
 */
public record Orchestrator(
        String id,
        String hostname,
        String baseDir,
        List<Provider> providers,
        List<String> envKeys,
        Map<String, Object> meta,
        String apiUrl,
        String agentId,
        List<ManagedAgent> agents,
        OrchestratorStatus status,
        long lastSeenAt,
        long createdAt,
        long updatedAt) {

    public Orchestrator {
        providers = providers == null ? List.of() : List.copyOf(providers);
        envKeys = envKeys == null ? List.of() : List.copyOf(envKeys);
        meta = meta == null ? Map.of() : meta;
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    /** The same orchestrator with another status, heard from at {@code seenAt}, changed at {@code at}. */
    public Orchestrator withStatus(OrchestratorStatus newStatus, long seenAt, long at) {
        return new Orchestrator(id, hostname, baseDir, providers, envKeys, meta, apiUrl, agentId, agents, newStatus,
                seenAt, createdAt, at);
    }

    /** The same orchestrator running {@code newAgents}, as reported at {@code at}. */
    public Orchestrator withAgents(List<ManagedAgent> newAgents, long at) {
        return new Orchestrator(id, hostname, baseDir, providers, envKeys, meta, apiUrl, agentId, newAgents, status,
                lastSeenAt, createdAt, at);
    }
}
