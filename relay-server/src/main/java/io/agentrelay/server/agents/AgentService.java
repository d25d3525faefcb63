package io.agentrelay.server.agents;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.AgentQuery;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Registration, presence and removal of agents. */
public final class AgentService {
    /** Compare-and-set rounds before a registration that keeps losing races gives up with a 409. */
    private static final int MAX_REGISTRATION_ATTEMPTS = 5;

    private final Store store;
    private final Clock clock;
    private final AfterRegistration afterRegistration;

    public AgentService(Store store, Clock clock, AfterRegistration afterRegistration) {
        this.store = store;
        this.clock = clock;
        this.afterRegistration = afterRegistration;
    }

    /** The result of a registration: the card, and whether the agent is new. */
    public record Registered(AgentCard agent, boolean created) {
    }

    /**
     * Registers (or re-registers) an agent. The session epoch is a compare-and-set: a registration
     * that raced another one for the same id (on another node) reads the winner and goes again, so
     * two sessions never both believe they hold the same epoch.
     */
    public CompletableFuture<Registered> register(RegisterAgent command) {
        return store.write(tx -> {
            for (int attempt = 0; attempt < MAX_REGISTRATION_ATTEMPTS; attempt++) {
                Registered registered = tryRegister(tx, command);
                if (registered != null) {
                    return registered;
                }
            }
            throw new RelayError.Conflict("agent " + command.id() + " is being registered by another session "
                    + "at the same moment; try again", Map.of());
        });
    }

    /** One compare-and-set attempt; null when another registration changed the agent meanwhile. */
    private Registered tryRegister(Tx tx, RegisterAgent command) {
        long now = clock.millis();
        AgentCard previous = tx.agent(command.id()).orElse(null);
        long epoch = previous == null ? 1
                : Objects.equals(previous.instanceId(), command.instanceId()) || command.instanceId() == null
                        ? previous.epoch() : previous.epoch() + 1;
        // What the request does not mention stays as it was, unless it asks to replace the card.
        AgentCard kept = command.replace() ? null : previous;
        AgentCard agent = new AgentCard(command.id(), command.name(),
                command.kind() != null ? command.kind() : kept != null ? kept.kind() : AgentKind.PROVIDER,
                command.labelGiven() ? command.label() : kept != null ? kept.label() : null,
                command.tags() != null ? command.tags() : kept != null ? kept.tags() : List.of(),
                command.capabilities() != null ? command.capabilities() : kept != null ? kept.capabilities() : List.of(),
                command.status(),
                command.ready() != null ? command.ready() : previous != null && previous.ready(),
                command.machine() != null ? command.machine() : kept != null ? kept.machine() : null,
                command.instanceId() != null ? command.instanceId() : previous == null ? null : previous.instanceId(),
                epoch, command.meta() != null ? command.meta() : kept != null ? kept.meta() : Map.of(),
                previous == null ? now : previous.createdAt(), now, now);
        if (!tx.saveAgentIf(agent, previous == null ? null : previous.epoch())) {
            return null;
        }
        tx.append(EventType.AGENT_REGISTERED, Event.Origin.server(agent.id()), Event.Scope.agent(agent.id()), agent, now);
        afterRegistration.registered(tx, agent, now);
        return new Registered(agent, previous == null);
    }

    public CompletableFuture<List<AgentCard>> list(AgentQuery query) {
        return store.read(reads -> reads.agents(query));
    }

    public CompletableFuture<AgentCard> get(String id) {
        return store.read(reads -> reads.agent(id).orElseThrow(() -> notFound(id)));
    }

    public CompletableFuture<AgentCard> patch(String id, PatchAgent patch, SessionGuard guard) {
        return store.write(tx -> {
            long now = clock.millis();
            AgentCard agent = existing(tx, id);
            guard.check(agent);
            AgentCard changed = new AgentCard(agent.id(), agent.name(), agent.kind(),
                    patch.clearLabel() ? null : patch.label() != null ? patch.label() : agent.label(),
                    patch.tags() != null ? patch.tags() : agent.tags(),
                    patch.capabilities() != null ? patch.capabilities() : agent.capabilities(),
                    patch.status() != null ? patch.status() : agent.status(),
                    patch.ready() != null ? patch.ready() : agent.ready(),
                    agent.machine(), agent.instanceId(), agent.epoch(),
                    patch.meta() != null ? patch.meta() : agent.meta(),
                    agent.createdAt(), now, now);
            tx.saveAgent(changed);
            tx.append(EventType.AGENT_STATUS, Event.Origin.server(id), Event.Scope.agent(id), changed, now);
            return changed;
        });
    }

    /**
     * Records a sign of life. A stale or offline agent comes back online unless the heartbeat names
     * a status; an event is appended only when the status changes, so heartbeats do not flood the log.
     */
    public CompletableFuture<AgentCard> heartbeat(String id, SessionGuard guard, AgentStatus status) {
        return store.write(tx -> {
            long now = clock.millis();
            AgentCard agent = existing(tx, id);
            guard.check(agent);
            AgentStatus next = status != null ? status
                    : agent.status() == AgentStatus.STALE || agent.status() == AgentStatus.OFFLINE
                            ? AgentStatus.ONLINE : agent.status();
            AgentCard beat = withStatus(agent, next, now, now);
            tx.touchAgent(id, beat.status(), beat.updatedAt(), beat.lastSeenAt());
            if (next != agent.status()) {
                tx.append(EventType.AGENT_STATUS, Event.Origin.server(id), Event.Scope.agent(id), beat, now);
            }
            return beat;
        });
    }

    public CompletableFuture<Void> delete(String id) {
        return store.write(tx -> {
            if (!tx.deleteAgent(id)) {
                throw notFound(id);
            }
            tx.append(EventType.AGENT_REMOVED, Event.Origin.server(id), Event.Scope.agent(id), Map.of("agentId", id, "reason", "deleted"),
                    clock.millis());
            return null;
        });
    }

    /** The agent with a new status, keeping its last sign of life unless {@code seenAt} moves it. */
    public static AgentCard withStatus(AgentCard agent, AgentStatus status, long updatedAt, long seenAt) {
        return new AgentCard(agent.id(), agent.name(), agent.kind(), agent.label(), agent.tags(),
                agent.capabilities(), status, agent.ready(), agent.machine(), agent.instanceId(), agent.epoch(),
                agent.meta(), agent.createdAt(), updatedAt, seenAt);
    }

    static AgentCard existing(Tx tx, String id) {
        return tx.agent(id).orElseThrow(() -> notFound(id));
    }

    public static RelayError.NotFound notFound(String id) {
        return new RelayError.NotFound("agent " + id + " not found");
    }
}
