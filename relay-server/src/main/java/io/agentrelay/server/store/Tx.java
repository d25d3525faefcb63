package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Message;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One write transaction. Every state change a service makes goes through here together with the
 * events that describe it; both commit or neither does.
 */
public interface Tx extends Reads {

    /** Inserts or replaces the agent row with this id. */
    void saveAgent(AgentCard agent);

    /**
     * A sign of life: sets an existing agent's status and times and nothing else (a heartbeat must
     * not write back tags or labels it read). False when there is no such agent.
     */
    boolean touchAgent(String id, AgentStatus status, long updatedAt, long lastSeenAt);

    /**
     * Compare-and-set of an agent's session: with {@code expectedEpoch} null, inserts the agent
     * unless one with its id exists; otherwise replaces it only if its epoch is still
     * {@code expectedEpoch}. False when another registration got there first (read again, retry).
     */
    boolean saveAgentIf(AgentCard agent, Long expectedEpoch);

    /** Deletes the agent and its read marks; false if there was none. */
    boolean deleteAgent(String id);

    /** Inserts a message; {@code threadId} null means the message starts its own thread. */
    Message insertMessage(NewMessage message);

    /**
     * Inserts a message unless its sender already used its idempotency key (a unique constraint,
     * so racing writers on any node make one row); empty when the key was taken.
     */
    Optional<Message> insertMessageOnce(NewMessage message);

    /**
     * One conditional update: {@code holder} claims the claimable message unless another agent
     * holds an unexpired claim (the holder renews its own). True when {@code holder} now holds it.
     */
    boolean claimMessage(long messageId, String holder, long now, long expiresAt);

    /**
     * One conditional update: a queued message is delivered to {@code agentId}. False when it was
     * no longer queued (resolved or expired by another writer).
     */
    boolean resolveQueued(long messageId, String agentId);

    /** Queued messages whose {@code maxAgeSeconds} ran out at or before {@code now}, oldest first. */
    List<Message> queuedToExpire(long now, int limit);

    /** One conditional update: a queued message expires. False when it was no longer queued. */
    boolean expireQueued(long messageId);

    /** Sets or clears (all null) the claim of a message. */
    void updateClaim(long messageId, String holder, Long claimedAt, Long expiresAt);

    /** Marks a message read by an agent; false if it already was. */
    boolean markRead(long messageId, String agentId, long at);

    /** Deletes a message and its read marks; false if there was none. */
    boolean deleteMessage(long id);

    /** Agents of any status whose last sign of life is before {@code cutoff}. */
    List<AgentCard> agentsSilentSince(long cutoff);

    /** Claimed messages whose claim expired at or before {@code now}, or whose holder is offline or gone. */
    List<Message> claimsToRelease(long now);

    /**
     * Deletes at most {@code batch} of the messages (with their read marks) and at most
     * {@code batch} of the events created before {@code cutoff}, oldest id first; returns how many
     * rows went, so a caller prunes a large backlog in several short transactions. Pruning stops at
     * the first row (by id) that is not older than the cutoff: a row written while the clock stood
     * further back waits for the younger rows before it. Also at most {@code batch} finished
     * commands last changed before the cutoff (commands in flight stay).
     */
    long pruneBefore(long cutoff, int batch);

    /** Inserts an open task seen once; the store assigns its id. */
    Task insertTask(NewTask task);

    /**
     * Inserts an open task unless its integration already has an active task with its dedupe key
     * (a unique constraint); empty then.
     */
    Optional<Task> insertTaskOnce(NewTask task);

    /** {@link #saveTask} only if the task's status is still {@code expected}: false when it moved meanwhile. */
    boolean saveTaskIf(Task task, TaskStatus expected);

    /** Counts one more occurrence of a task, in SQL, so concurrent occurrences are never lost. */
    void countOccurrence(long taskId, long at);

    /** Stores a task's changeable fields: status, holder, progress, result, message, counts and times. */
    void saveTask(Task task);

    /** Adds an entry to a task's history; its id is assigned here. */
    TaskEvent insertTaskEvent(TaskEvent event);

    /** Active tasks whose holder is offline or no longer registered. */
    List<Task> tasksHeldByUnavailableAgents();

    /** Queues a callback reporting {@code task} (as it is now), due at {@code at}. */
    Delivery insertDelivery(String integration, Task task, long eventId, long at);

    /**
     * Leases up to {@code limit} of the callbacks {@link #dueDeliveries} would choose (and that no
     * node holds a lease on) to the caller until {@code until}: each is taken by one conditional
     * update, so of several nodes exactly one sends a given attempt. {@link #recordAttempt} frees it.
     */
    List<Delivery> leaseDueDeliveries(long now, int limit, long until);

    /**
     * Takes the named lease for {@code holder} until {@code until}, or renews it, unless another
     * holder's lease runs past {@code now}; true when {@code holder} now holds it.
     */
    boolean acquireLease(String name, String holder, long now, long until);

    /**
     * Records an attempt at a callback and moves it on: {@code state} after the attempt, and when it
     * stays pending, {@code nextAttemptAt}.
     */
    void recordAttempt(DeliveryAttempt attempt, Delivery.State state, long nextAttemptAt);

    /**
     * Takes {@code clientId} for a new activity item: true when it was never seen or its event was
     * pruned (then {@link #recordActivityReport} binds it to the new event), false when it names a
     * reported item. Insert-once on a unique key, so racing reports make one item.
     */
    boolean reserveActivityReport(String clientId, long at);

    /**
     * Remembers that {@code clientId} was reported as event {@code eventId}, replacing an earlier
     * entry (whose event retention has pruned).
     */
    void recordActivityReport(String clientId, long eventId, long at);

    /**
     * Writes a config value and records it in the key's history: version 1 for a key never written,
     * else the key's last version + 1 — a deleted key's too, so its history has no gap and no
     * repeat. One conditional statement on the key's row decides the version, so concurrent writers
     * of one key (on any node) each get a distinct one and none is lost.
     */
    ConfigEntry putConfig(ConfigWrite write);

    /**
     * {@link #putConfig} only while the key's live entry is at {@code expectedVersion}; 0 expects no
     * live entry (never written, or deleted). Empty, writing nothing, when the key is elsewhere.
     */
    Optional<ConfigEntry> putConfigIf(ConfigWrite write, long expectedVersion);

    /**
     * Deletes a config key as a versioned write: its version + 1, recorded in its history. The
     * deletion's version; empty, writing nothing, when the key has no live entry.
     */
    OptionalLong deleteConfig(String namespace, String key, String updatedBy, long at);

    /** {@link #deleteConfig} only while the key's live entry is at {@code expectedVersion}; empty otherwise. */
    OptionalLong deleteConfigIf(String namespace, String key, String updatedBy, long at, long expectedVersion);
    /** Inserts or replaces the orchestrator row with this id. */
    void saveOrchestrator(Orchestrator orchestrator);

    /**
     * A sign of life or a change of presence: sets an existing orchestrator's status and times and
     * nothing else (a heartbeat must not write back the managed agents it read). False when there
     * is no such orchestrator.
     */
    boolean touchOrchestrator(String id, OrchestratorStatus status, long updatedAt, long lastSeenAt);

    /** Replaces an orchestrator's managed agents; false when there is no such orchestrator. */
    boolean saveManagedAgents(String id, List<ManagedAgent> agents, long updatedAt);

    /**
     * Writes a spawn policy's managed-agent state if the stored one is still at
     * {@code state.version() - 1} (no stored state, for version 1): one conditional statement, so
     * of several writers that read the same state (on any node) exactly one wins. False when the
     * state changed meanwhile; nothing is written then.
     */
    boolean savePolicyStateIf(PolicyState state);

    // ---- connectors ----

    /** Registers a connector's description (an upsert on its id); the row after the write. */
    ConnectorRow registerConnector(ConnectorRegistration registration);

    /** Replaces a connector's config, making its row (named {@code name}) when it has none; the row after. */
    ConnectorRow putConnectorConfig(String id, String name, com.fasterxml.jackson.databind.JsonNode config, long at);

    /** Records a connector's last action, making its row (named {@code name}) when it has none; the row after. */
    ConnectorRow recordConnectorAction(String id, String name, io.agentrelay.api.Connector.LastAction action);

    /** Deletes the orchestrator; false if there was none. */
    boolean deleteOrchestrator(String id);

    /** Online orchestrators whose last sign of life is before {@code cutoff}. */
    List<Orchestrator> orchestratorsSilentSince(long cutoff);

    /** Inserts a pending command; the store assigns its id. */
    Command insertCommand(NewCommand command);

    /**
     * Stores a command's changeable fields (status, progress, result, error, holder, updatedAt)
     * only if its status is still {@code expected}: one conditional update, so of several racing
     * moves (on any node) exactly one wins. False when it moved meanwhile.
     */
    boolean saveCommandIf(Command command, CommandStatus expected);

    /** Pending commands whose expiry is at or before {@code now}, oldest first. */
    List<Command> commandsExpiredAt(long now);

    /**
     * Binds a channel (or one of its conversations) to a target, or, when that pair is bound
     * already, changes its mode and priority: one upsert on a unique key, so racing binds of one
     * pair (on any node) leave one row. The binding as stored.
     */
    ChannelBinding upsertChannelBinding(NewBinding binding);

    /** Deletes a binding; false if there was none. */
    boolean deleteChannelBinding(long id);

    /**
     * Inserts a pending pair unless its two agents already have an open (pending or active) one,
     * whichever of them invited: a unique constraint, so racing invitations (on any node) make one
     * row. Empty when the couple's slot was taken.
     */
    Optional<Pair> insertPairOnce(NewPair pair);

    /**
     * Stores a pair's changeable fields (status, reason, closedBy, messageId, times) only if its
     * status is still {@code expected}: one conditional update, so of racing moves (an accept and a
     * reject, on any node) exactly one wins. False when it moved meanwhile.
     */
    boolean savePairIf(Pair pair, PairStatus expected);

    /** Pending pairs whose expiry is at or before {@code now}, oldest first. */
    List<Pair> pairsExpiredAt(long now);

    /** Appends an event; its data is serialized to JSON here, once. */
    Event append(EventType type, Event.Origin origin, Event.Scope scope, Object data, long ts);

    /**
     * Bulk import of message history: inserts the messages in order, each followed by the
     * {@code message.new} event a send appends (origin: the sender and the message; scope: target,
     * sender, channel; data: the stored message; time: its {@code createdAt}), all in this
     * transaction. No send rules run (no idempotency lookup, no thread or session checks): the
     * caller imports rows it trusts, for example the bench's million-message start-up store, in
     * transactions as large as it likes. Returns the stored messages, ids assigned, in the given order.
     */
    default List<Message> importMessages(List<NewMessage> messages) {
        List<Message> stored = new ArrayList<>(messages.size());
        for (NewMessage draft : messages) {
            Message message = insertMessage(draft);
            append(EventType.MESSAGE_NEW, Event.Origin.of(message.from(), message.id()),
                    new Event.Scope(message.to(), message.from(), message.channel()), message, message.createdAt());
            stored.add(message);
        }
        return stored;
    }
}
