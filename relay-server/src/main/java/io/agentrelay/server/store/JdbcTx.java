package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Message;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The writes, composed from the per-feature statement classes. Owned by the writer thread;
 * collects the events appended by the current unit of work so the writer can publish them after
 * commit, or drop them when the work is rolled back, and notes whether the unit has written yet
 * ({@link #takeWrote}): a unit that fails before its first write leaves nothing to undo.
 */
final class JdbcTx extends JdbcReads implements Tx {
    private final List<Event> appended = new ArrayList<>();
    private final LeaseSql leases = new LeaseSql(sql);

    JdbcTx(Statements statements) {
        super(statements);
    }

    /** The events appended since the last call, handing them over to the caller. */
    List<Event> takeEvents() {
        if (appended.isEmpty()) {
            return List.of();
        }
        List<Event> taken = List.copyOf(appended);
        appended.clear();
        return taken;
    }

    /**
     * Whether a write statement ran (or was attempted) since the last call; resets the flag. Set
     * before the statement runs, so a statement that fails counts as a write too, and so does a
     * failed query: either may have spoiled the transaction (PostgreSQL aborts it).
     */
    boolean takeWrote() {
        return sql.takeWrote();
    }

    @Override
    public ChannelBinding upsertChannelBinding(NewBinding binding) {
        return channels.upsert(binding);
    }

    @Override
    public boolean deleteChannelBinding(long id) {
        return channels.delete(id);
    }

    @Override
    public void saveAgent(AgentCard agent) {
        agents.save(agent);
    }

    @Override
    public boolean touchAgent(String id, AgentStatus status, long updatedAt, long lastSeenAt) {
        return agents.touch(id, status, updatedAt, lastSeenAt);
    }

    @Override
    public boolean saveAgentIf(AgentCard agent, Long expectedEpoch) {
        return agents.saveIf(agent, expectedEpoch);
    }

    @Override
    public boolean deleteAgent(String id) {
        return agents.delete(id);
    }

    @Override
    public Message insertMessage(NewMessage message) {
        return messages.insert(message);
    }

    @Override
    public Optional<Message> insertMessageOnce(NewMessage message) {
        return messages.insertOnce(message);
    }

    @Override
    public boolean claimMessage(long messageId, String holder, long now, long expiresAt) {
        return messages.claim(messageId, holder, now, expiresAt);
    }

    @Override
    public void updateClaim(long messageId, String holder, Long claimedAt, Long expiresAt) {
        messages.updateClaim(messageId, holder, claimedAt, expiresAt);
    }

    @Override
    public boolean markRead(long messageId, String agentId, long at) {
        return messages.markRead(messageId, agentId, at);
    }

    @Override
    public boolean deleteMessage(long id) {
        return messages.delete(id);
    }

    @Override
    public List<AgentCard> agentsSilentSince(long cutoff) {
        return agents.silentSince(cutoff);
    }

    @Override
    public boolean resolveQueued(long messageId, String agentId) {
        return messages.resolve(messageId, agentId);
    }

    @Override
    public List<Message> queuedToExpire(long now, int limit) {
        return messages.queuedToExpire(now, limit);
    }

    @Override
    public boolean expireQueued(long messageId) {
        return messages.expire(messageId);
    }

    @Override
    public List<Message> claimsToRelease(long now) {
        return messages.claimsToRelease(now);
    }

    @Override
    public long pruneBefore(long cutoff, int batch) {
        return messages.pruneBefore(cutoff, batch) + events.pruneBefore(cutoff, batch)
                + commands.pruneFinishedBefore(cutoff, batch);
    }

    @Override
    public Task insertTask(NewTask task) {
        return tasks.insert(task);
    }

    @Override
    public Optional<Task> insertTaskOnce(NewTask task) {
        return tasks.insertOnce(task);
    }

    @Override
    public void saveTask(Task task) {
        tasks.save(task);
    }

    @Override
    public boolean saveTaskIf(Task task, TaskStatus expected) {
        return tasks.saveIf(task, expected);
    }

    @Override
    public void countOccurrence(long taskId, long at) {
        tasks.countOccurrence(taskId, at);
    }

    @Override
    public TaskEvent insertTaskEvent(TaskEvent event) {
        return tasks.insertEvent(event);
    }

    @Override
    public List<Task> tasksHeldByUnavailableAgents() {
        return tasks.heldByUnavailableAgents();
    }

    @Override
    public Delivery insertDelivery(String integration, Task task, long eventId, long at) {
        return outbox.insert(integration, task, eventId, at);
    }

    @Override
    public List<Delivery> leaseDueDeliveries(long now, int limit, long until) {
        return outbox.leaseDue(now, limit, until);
    }

    @Override
    public boolean acquireLease(String name, String holder, long now, long until) {
        return leases.acquire(name, holder, now, until);
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt, Delivery.State state, long nextAttemptAt) {
        outbox.recordAttempt(attempt, state, nextAttemptAt);
    }

    @Override
    public boolean reserveActivityReport(String clientId, long at) {
        return activity.reserve(clientId, at);
    }

    @Override
    public void recordActivityReport(String clientId, long eventId, long at) {
        activity.record(clientId, eventId, at);
    }

    @Override
    public ConfigEntry putConfig(ConfigWrite write) {
        return config.put(write);
    }

    @Override
    public Optional<ConfigEntry> putConfigIf(ConfigWrite write, long expectedVersion) {
        return config.putIf(write, expectedVersion);
    }

    @Override
    public OptionalLong deleteConfig(String namespace, String key, String updatedBy, long at) {
        return config.delete(namespace, key, updatedBy, at, null);
    }

    @Override
    public OptionalLong deleteConfigIf(String namespace, String key, String updatedBy, long at, long expectedVersion) {
        return config.delete(namespace, key, updatedBy, at, expectedVersion);
    }

    @Override
    public void saveOrchestrator(Orchestrator orchestrator) {
        orchestrators.save(orchestrator);
    }

    @Override
    public boolean touchOrchestrator(String id, OrchestratorStatus status, long updatedAt, long lastSeenAt) {
        return orchestrators.touch(id, status, updatedAt, lastSeenAt);
    }

    @Override
    public boolean saveManagedAgents(String id, List<ManagedAgent> agents, long updatedAt) {
        return orchestrators.saveAgents(id, agents, updatedAt);
    }

    @Override
    public boolean savePolicyStateIf(PolicyState state) {
        return policyStates.saveIf(state);
    }

    @Override
    public ConnectorRow registerConnector(ConnectorRegistration registration) {
        return connectors.register(registration);
    }

    @Override
    public ConnectorRow putConnectorConfig(String id, String name, com.fasterxml.jackson.databind.JsonNode config,
                                           long at) {
        return connectors.putConfig(id, name, config, at);
    }

    @Override
    public ConnectorRow recordConnectorAction(String id, String name, io.agentrelay.api.Connector.LastAction action) {
        return connectors.recordAction(id, name, action);
    }

    @Override
    public boolean deleteOrchestrator(String id) {
        return orchestrators.delete(id);
    }

    @Override
    public List<Orchestrator> orchestratorsSilentSince(long cutoff) {
        return orchestrators.onlineSilentSince(cutoff);
    }

    @Override
    public Command insertCommand(NewCommand command) {
        return commands.insert(command);
    }

    @Override
    public boolean saveCommandIf(Command command, CommandStatus expected) {
        return commands.saveIf(command, expected);
    }

    @Override
    public List<Command> commandsExpiredAt(long now) {
        return commands.expiredPending(now);
    }

    @Override
    public Optional<Pair> insertPairOnce(NewPair pair) {
        return pairs.insertOnce(pair);
    }

    @Override
    public boolean savePairIf(Pair pair, PairStatus expected) {
        return pairs.saveIf(pair, expected);
    }

    @Override
    public List<Pair> pairsExpiredAt(long now) {
        return pairs.expiredPending(now);
    }

    @Override
    public Event append(EventType type, Event.Origin origin, Event.Scope scope, Object data, long ts) {
        Event event = events.append(type, origin, scope, data, ts);
        appended.add(event);
        return event;
    }
}
