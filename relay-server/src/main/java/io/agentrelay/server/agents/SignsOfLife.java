package io.agentrelay.server.agents;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every call an agent makes as itself — a send, an inbox poll, a claim, a read, a task update, a
 * stream it opens — is a sign of life: it moves the agent's {@code lastSeenAt} and brings a
 * stale or offline agent back online, as a heartbeat does. Without this, a person driving the CLI
 * went offline between commands and lost the claims they had just taken.
 *
 * <p>Coalesced, because a send is the relay's hot path: an agent is refreshed at most once per
 * {@link #EVERY} (its card re-saved, no event unless its status changes), and whether it is due is
 * decided from memory first, so a busy sender costs one map lookup per call, not a read and a write.
 * The memory is only a shortcut: a refresh checks the stored {@code lastSeenAt} inside the
 * transaction. Thread-safe.
 */
public final class SignsOfLife {
    /** How stale {@code lastSeenAt} may get before a call refreshes it: far below STALE_TTL_MS. */
    public static final Duration EVERY = Duration.ofSeconds(5);
    /** Ids remembered at most; past it the memory starts over (ids from anyone with the token). */
    private static final int MAX_REMEMBERED = 100_000;

    private final Store store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> refreshedAt = new ConcurrentHashMap<>();

    public SignsOfLife(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Refreshes {@code agentId} inside a write transaction that already runs, when it is due. */
    public void within(Tx tx, String agentId, long now) {
        if (!due(agentId, now)) {
            return;
        }
        tx.agent(agentId).ifPresent(agent -> refresh(tx, agent, now));
        remember(agentId, now);
    }

    /**
     * Refreshes {@code agentId} after a read-only call (an inbox poll, a stream opened): a write of
     * its own, only when due, so a client polling every second writes once per {@link #EVERY}.
     */
    public CompletableFuture<Void> after(String agentId) {
        long now = clock.millis();
        if (agentId == null || !due(agentId, now)) {
            return CompletableFuture.completedFuture(null);
        }
        return store.write(tx -> {
            within(tx, agentId, clock.millis());
            return null;
        });
    }

    private boolean due(String agentId, long now) {
        Long last = refreshedAt.get(agentId);
        return last == null || now - last >= EVERY.toMillis() || now < last;
    }

    private void remember(String agentId, long now) {
        if (refreshedAt.size() >= MAX_REMEMBERED) {
            refreshedAt.clear();
        }
        refreshedAt.put(agentId, now);
    }

    private static void refresh(Tx tx, AgentCard agent, long now) {
        if (now - agent.lastSeenAt() < EVERY.toMillis()) {
            return;
        }
        AgentStatus next = agent.status() == AgentStatus.STALE || agent.status() == AgentStatus.OFFLINE
                ? AgentStatus.ONLINE : agent.status();
        AgentCard seen = AgentService.withStatus(agent, next, next != agent.status() ? now : agent.updatedAt(), now);
        tx.touchAgent(agent.id(), seen.status(), seen.updatedAt(), seen.lastSeenAt());
        if (next != agent.status()) {
            tx.append(EventType.AGENT_STATUS, Event.Origin.server(agent.id()), Event.Scope.agent(agent.id()), seen, now);
        }
    }
}
