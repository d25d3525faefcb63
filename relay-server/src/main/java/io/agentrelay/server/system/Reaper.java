package io.agentrelay.server.system;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Message;
import io.agentrelay.server.activity.ActivityService;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.messages.QueuedDelivery;
import io.agentrelay.server.orchestrators.OrchestratorService;
import io.agentrelay.server.pairs.PairService;
import io.agentrelay.server.policies.PolicyService;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import io.agentrelay.server.tasks.TaskService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Housekeeping, run on a timer and on demand ({@code POST /api/system/reap}): silent agents go
 * stale, then offline, then are pruned (except those of kind {@code system}); claims that expired or whose holder is offline or gone are
 * released; queued messages past their {@code maxAgeSeconds} expire and those whose agent is now
 * there are delivered; commands nobody accepted in time expire; pair invitations nobody answered
 * in time expire; orchestrators silent for {@code STALE_TTL_MS} go offline (a spawn policy whose
 * running agent goes offline fails; a failed one is started again with backoff); messages and
 * events past the retention period are deleted.
 */
public final class Reaper {
    private static final int PRUNE_BATCH = 5_000;

    private final Store store;
    private final Clock clock;
    private final RelayConfig config;
    private final QueuedDelivery queued;
    private final PairService pairs;

    public Reaper(Store store, Clock clock, RelayConfig config, QueuedDelivery queued, PairService pairs) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.queued = queued;
        this.pairs = pairs;
    }

    /** What one pass did. {@code expiredPairIds} is ours (the TypeScript answer has no pairs). */
    public record Report(boolean ok, List<String> reapedAgentIds, List<String> prunedAgentIds,
                         List<String> reapedOrchestratorIds, List<Long> releasedMessageIds,
                         List<Long> releasedTaskIds, List<Long> releasedOrphanedTaskIds,
                         List<Long> expiredQueuedMessageIds, List<Long> expiredCommandIds, List<Long> expiredPairIds,
                         long prunedRows) {
    }

    /** The lease that lets one node of a cluster run the timer's passes. */
    static final String LEASE = "reaper";

    /**
     * The timer's pass: run only by the node that holds the reaper's lease, so a cluster reaps once
     * per interval rather than once per node. The lease lasts two intervals and the holder renews it
     * at each pass; if the holder dies another node takes over within two intervals. Completes with
     * null when another node holds it.
     */
    public CompletableFuture<Report> reapIfLeaseHolder(String node) {
        long now = clock.millis();
        long until = now + 2 * config.reapInterval().toMillis();
        return store.write(tx -> tx.acquireLease(LEASE, node, now, until))
                .thenCompose(held -> held ? reap() : CompletableFuture.completedFuture(null));
    }

    public CompletableFuture<Report> reap() {
        return store.write(this::reapPresenceAndClaims)
                .thenCompose(report -> pruneRetention(0).thenApply(pruned -> new Report(true,
                        report.reapedAgentIds(), report.prunedAgentIds(), report.reapedOrchestratorIds(),
                        report.releasedMessageIds(), report.releasedTaskIds(), report.releasedOrphanedTaskIds(),
                        report.expiredQueuedMessageIds(), report.expiredCommandIds(), report.expiredPairIds(), pruned)));
    }

    private Report reapPresenceAndClaims(Tx tx) {
        long now = clock.millis();
        List<String> reaped = new ArrayList<>();
        List<String> pruned = new ArrayList<>();
        for (AgentCard agent : tx.agentsSilentSince(now - config.staleAfter().toMillis())) {
            long silence = now - agent.lastSeenAt();
            if (agent.status() == AgentStatus.OFFLINE) {
                // Built-in agents of kind "system" are kept, as the TypeScript server's README promises.
                if (silence >= config.pruneAfter().toMillis() && agent.kind() != AgentKind.SYSTEM) {
                    tx.deleteAgent(agent.id());
                    tx.append(EventType.AGENT_REMOVED, Event.Origin.server(agent.id()), Event.Scope.agent(agent.id()),
                            Map.of("agentId", agent.id(), "reason", "pruned"), now);
                    pruned.add(agent.id());
                }
                continue;
            }
            AgentStatus next = silence >= config.offlineAfter().toMillis() ? AgentStatus.OFFLINE : AgentStatus.STALE;
            if (next != agent.status()) {
                AgentCard changed = AgentService.withStatus(agent, next, now, agent.lastSeenAt());
                tx.saveAgent(changed);
                tx.append(EventType.AGENT_STATUS, Event.Origin.server(agent.id()), Event.Scope.agent(agent.id()),
                        changed, now);
                if (next == AgentStatus.OFFLINE) {
                    PolicyService.agentWentOffline(tx, changed, now);
                }
                reaped.add(agent.id());
            }
        }
        List<Long> released = new ArrayList<>();
        for (Message message : tx.claimsToRelease(now)) {
            boolean expired = message.claimExpiresAt() != null && message.claimExpiresAt() <= now;
            MessageService.releaseClaim(tx, message, expired ? "expired" : "holder_offline", now);
            released.add(message.id());
        }
        TaskService.Released tasks = TaskService.releaseClaimsOfUnavailableAgents(tx, config.integrations(), now);
        int taskClaims = tasks.offlineHolders().size() + tasks.orphaned().size();
        // Expired first, so that a message past its maxAgeSeconds is not delivered late.
        List<Long> expiredQueued = QueuedDelivery.expire(tx, now);
        queued.resolveWaiting(tx, now);
        List<Long> expiredCommands = CommandService.expire(tx, now, PolicyService::commandFinished);
        List<String> orchestrators = OrchestratorService.reapSilent(tx, now - config.staleAfter().toMillis(), now);
        // After the orchestrators' presence is settled: a policy restarts only on an online one.
        PolicyService.restartFailed(tx, now, config.commandTtl().toMillis());
        List<Long> expiredPairs = pairs.expire(tx, now);
        if (!reaped.isEmpty() || !pruned.isEmpty() || !released.isEmpty() || taskClaims > 0
                || !expiredQueued.isEmpty() || !expiredCommands.isEmpty() || !orchestrators.isEmpty()
                || !expiredPairs.isEmpty()) {
            // The TypeScript server's audit item, word for word; written only for a run that changed
            // something, so the timer does not fill the log with empty runs.
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("reapedAgentIds", reaped);
            counts.put("prunedAgentIds", pruned);
            counts.put("releasedMessageIds", released);
            counts.put("releasedTaskIds", tasks.offlineHolders());
            counts.put("releasedOrphanedTaskIds", tasks.orphaned());
            counts.put("reapedOrchestratorIds", orchestrators);
            counts.put("expiredQueuedMessageIds", expiredQueued);
            counts.put("expiredCommandIds", expiredCommands);
            counts.put("expiredPairIds", expiredPairs);
            ActivityService.audit(tx, "reaper", "Maintenance reaper run", reaped.size() + " stale agent(s), "
                    + orchestrators.size() + " stale orchestrator(s), " + released.size() + " message claim(s), "
                    + taskClaims + " task claim(s), " + expiredQueued.size() + " queued message(s), "
                    + expiredCommands.size() + " command(s)",
                    "ti-broom", counts, now);
        }
        return new Report(true, reaped, pruned, orchestrators, released, tasks.offlineHolders(), tasks.orphaned(),
                expiredQueued, expiredCommands, expiredPairs, 0);
    }

    /** Deletes expired rows in short transactions so the writer never stalls on a large backlog. */
    private CompletableFuture<Long> pruneRetention(long soFar) {
        if (config.retentionDays() == 0) {
            return CompletableFuture.completedFuture(soFar);
        }
        long cutoff = clock.millis() - config.retentionDays() * 86_400_000L;
        return store.write(tx -> tx.pruneBefore(cutoff, PRUNE_BATCH)).thenCompose(removed ->
                removed == 0 ? CompletableFuture.completedFuture(soFar) : pruneRetention(soFar + removed));
    }
}
