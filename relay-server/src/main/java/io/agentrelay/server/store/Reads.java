package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.Command;
import io.agentrelay.api.Message;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.Audience;
import java.util.List;
import java.util.Optional;

/** Queries over committed state (or, inside a {@link Tx}, over that transaction's view). */
public interface Reads {

    Optional<AgentCard> agent(String id);

    /** Who {@code agentId} is as a recipient: its card's audience, or its bare id when it is not registered. */
    default Audience audienceOf(String agentId) {
        return agent(agentId).map(Audience::of).orElseGet(() -> Audience.unregistered(agentId));
    }

    /** All agents matching the filter, by id. */
    List<AgentCard> agents(AgentQuery query);

    Optional<Message> message(long id);

    Optional<Message> messageByIdempotencyKey(String from, String idempotencyKey);

    /**
     * Messages that reach {@code audience} with id above {@code query.since()}, oldest first,
     * excluding those the agent sent itself unless addressed to it directly; each carries the
     * agent's read flag.
     */
    List<Message> inbox(Audience audience, MessageQuery query);

    /** Recent messages of any recipient, newest first (the dashboard's view). */
    List<Message> recent(MessageQuery query);

    /** The highest message id that {@link #inbox} could return for {@code audience}, or 0. */
    long cursor(Audience audience);

    /** The messages waiting for {@code target} ({@code policy:x}, {@code pool:x}), oldest first, above {@code after}. */
    List<Message> queuedMessages(String target, long after, int limit);

    /** The targets that have messages waiting. */
    List<String> queuedTargets();

    /** The id of the last message to {@code target} that was resolved to {@code agentId}, or 0. */
    long lastResolved(String agentId, String target);

    /** Every message of a reply chain, oldest first. */
    List<Message> thread(long threadId);

    /** Ids of the agents that marked {@code messageId} read, with when. */
    List<ReadMark> readMarks(long messageId);

    /** Events with id above {@code query.after()}, oldest first. */
    List<Event> events(EventQuery query);

    Counts counts();

    // ---- tasks, callbacks, activity ----

    Optional<Task> task(long id);

    /** The task of {@code integration} with {@code dedupeKey} that is still active, if any. */
    Optional<Task> activeTask(String integration, String dedupeKey);

    /** Tasks matching the query, newest first. */
    List<Task> tasks(TaskQuery query);

    /** A task's history, oldest first. */
    List<TaskEvent> taskEvents(long taskId);

    /** Callbacks of one integration, newest first, optionally only ids below {@code before} (0 = none). */
    List<Delivery> deliveries(String integration, long before, int limit);

    /** The attempts made for one callback, in order. */
    List<DeliveryAttempt> deliveryAttempts(long deliveryId);

    /**
     * Pending callbacks whose next attempt is due at {@code now}, the longest-waiting first, leaving
     * out any that has an earlier pending callback of the same task (a task's callbacks go in order).
     */
    List<Delivery> dueDeliveries(long now, int limit);

    /** Events with id below {@code before} (0 = from the newest), newest first: the activity feed. */
    List<Event> eventsBefore(long before, int limit);

    /** The event recorded for a client-reported activity item, if its client id was seen. */
    Optional<Event> reportedActivity(String clientId);

    // ---- config store ----

    /** The live entry of a config key; empty when it was never written or is deleted. */
    Optional<ConfigEntry> configEntry(String namespace, String key);

    /** A namespace's live entries, by key. */
    List<ConfigEntry> configEntries(String namespace);

    /** The namespaces that have live entries, by name. */
    List<ConfigNamespace> configNamespaces();

    /**
     * A config key's versioned writes, deletions included, newest first, optionally only versions
     * below {@code beforeVersion} (0 = none).
     */
    List<ConfigRevision> configHistory(String namespace, String key, long beforeVersion, int limit);
    // ---- orchestrators and commands ----

    Optional<Orchestrator> orchestrator(String id);

    /** The orchestrator whose inbox agent is {@code agentId}, if any. */
    Optional<Orchestrator> orchestratorByAgent(String agentId);

    /** Every orchestrator, by id. */
    List<Orchestrator> orchestrators();

    Optional<Command> command(long id);

    /** Commands matching the query, newest first. */
    List<Command> commands(CommandQuery query);

    // ---- channel bindings ----

    Optional<ChannelBinding> channelBinding(long id);

    /** The bindings of one channel (null: of every channel), by channel id, then binding id. */
    List<ChannelBinding> channelBindings(String channelId);

    // ---- pairs ----

    Optional<Pair> pair(long id);

    /** The open (pending or active) pair of two agents, whichever of them invited. */
    Optional<Pair> openPair(String agentA, String agentB);

    /** Pairs matching the query, newest first. */
    List<Pair> pairs(PairQuery query);
    // ---- spawn policies ----

    /** The managed-agent state of a spawn policy; empty when it was never written. */
    Optional<PolicyState> policyState(String policyName);

    /** Every stored managed-agent state, by policy name. */
    List<PolicyState> policyStates();

    // ---- connectors ----

    /** A stored connector (registered, or one whose config or last action was written). */
    Optional<ConnectorRow> connector(String id);

    /** Every stored connector, by id. */
    List<ConnectorRow> connectors();

    /** One agent's read of one message. */
    record ReadMark(String agentId, long readAt) {
    }

    /** Sizes for {@code /api/stats}. */
    record Counts(long agents, long agentsOnline, long messages, long claimedMessages, long events,
                  long lastEventId) {
    }
}
