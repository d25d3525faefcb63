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

/**
 * The queries, composed from one statement class per feature ({@link AgentSql}, {@link MessageSql},
 * {@link EventSql}, {@link TaskSql}, {@link OutboxSql}, {@link ActivitySql}, {@link ConfigSql},
 * {@link OrchestratorSql}, {@link CommandSql}, {@link ChannelSql}, {@link PairSql}, {@link PolicyStateSql}, {@link ConnectorSql}),
 * all in SQL that
 * SQLite and PostgreSQL both accept. One instance per connection; not thread-safe.
 */
class JdbcReads implements Reads {
    protected final Statements statements;
    protected final Sql sql;
    protected final AgentSql agents;
    protected final MessageSql messages;
    protected final EventSql events;
    protected final TaskSql tasks;
    protected final OutboxSql outbox;
    protected final ActivitySql activity;
    protected final ConfigSql config;
    protected final OrchestratorSql orchestrators;
    protected final PolicyStateSql policyStates;
    protected final CommandSql commands;
    protected final ChannelSql channels;
    protected final PairSql pairs;
    protected final ConnectorSql connectors;

    JdbcReads(Statements statements) {
        this.statements = statements;
        this.sql = new Sql(statements);
        this.agents = new AgentSql(sql);
        this.messages = new MessageSql(sql);
        this.events = new EventSql(sql);
        this.tasks = new TaskSql(sql);
        this.outbox = new OutboxSql(sql);
        this.activity = new ActivitySql(sql);
        this.config = new ConfigSql(sql);
        this.orchestrators = new OrchestratorSql(sql);
        this.policyStates = new PolicyStateSql(sql);
        this.commands = new CommandSql(sql);
        this.channels = new ChannelSql(sql);
        this.pairs = new PairSql(sql);
        this.connectors = new ConnectorSql(sql);
    }

    @Override
    public Optional<ChannelBinding> channelBinding(long id) {
        return channels.binding(id);
    }

    @Override
    public List<ChannelBinding> channelBindings(String channelId) {
        return channels.bindings(channelId);
    }

    @Override
    public Optional<AgentCard> agent(String id) {
        return agents.agent(id);
    }

    @Override
    public List<AgentCard> agents(AgentQuery query) {
        return agents.agents(query);
    }

    @Override
    public Optional<Message> message(long id) {
        return messages.message(id);
    }

    @Override
    public Optional<Message> messageByIdempotencyKey(String from, String idempotencyKey) {
        return messages.byIdempotencyKey(from, idempotencyKey);
    }

    @Override
    public List<Message> inbox(Audience audience, MessageQuery query) {
        return messages.inbox(audience, query);
    }

    @Override
    public List<Message> queuedMessages(String target, long after, int limit) {
        return messages.queued(target, after, limit);
    }

    @Override
    public List<String> queuedTargets() {
        return messages.queuedTargets();
    }

    @Override
    public long lastResolved(String agentId, String target) {
        return messages.lastResolved(agentId, target);
    }

    @Override
    public List<Message> recent(MessageQuery query) {
        return messages.recent(query);
    }

    @Override
    public long cursor(Audience audience) {
        return messages.cursor(audience);
    }

    @Override
    public List<Message> thread(long threadId) {
        return messages.thread(threadId);
    }

    @Override
    public List<ReadMark> readMarks(long messageId) {
        return messages.readMarks(messageId);
    }

    @Override
    public List<Event> events(EventQuery query) {
        return events.events(query);
    }

    @Override
    public Counts counts() {
        return sql.query("SELECT (SELECT COUNT(*) FROM agents), "
                        + "(SELECT COUNT(*) FROM agents WHERE status IN ('online', 'idle', 'busy')), "
                        + "(SELECT COUNT(*) FROM messages), "
                        + "(SELECT COUNT(*) FROM messages WHERE claimed_by IS NOT NULL), "
                        + "(SELECT COUNT(*) FROM events), "
                        + "(SELECT COALESCE(MAX(id), 0) FROM events)",
                List.of(), rs -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6))).get(0);
    }

    @Override
    public Optional<Task> task(long id) {
        return tasks.task(id);
    }

    @Override
    public Optional<Task> activeTask(String integration, String dedupeKey) {
        return tasks.activeTask(integration, dedupeKey);
    }

    @Override
    public List<Task> tasks(TaskQuery query) {
        return tasks.tasks(query);
    }

    @Override
    public List<TaskEvent> taskEvents(long taskId) {
        return tasks.taskEvents(taskId);
    }

    @Override
    public List<Delivery> deliveries(String integration, long before, int limit) {
        return outbox.deliveries(integration, before, limit);
    }

    @Override
    public List<DeliveryAttempt> deliveryAttempts(long deliveryId) {
        return outbox.attempts(deliveryId);
    }

    @Override
    public List<Delivery> dueDeliveries(long now, int limit) {
        return outbox.due(now, limit);
    }

    @Override
    public List<Event> eventsBefore(long before, int limit) {
        return events.eventsBefore(before, limit);
    }

    @Override
    public Optional<Event> reportedActivity(String clientId) {
        return activity.reported(clientId);
    }

    @Override
    public Optional<ConfigEntry> configEntry(String namespace, String key) {
        return config.entry(namespace, key);
    }

    @Override
    public List<ConfigEntry> configEntries(String namespace) {
        return config.entries(namespace);
    }

    @Override
    public List<ConfigNamespace> configNamespaces() {
        return config.namespaces();
    }

    @Override
    public List<ConfigRevision> configHistory(String namespace, String key, long beforeVersion, int limit) {
        return config.history(namespace, key, beforeVersion, limit);
    }

    @Override
    public Optional<Orchestrator> orchestrator(String id) {
        return orchestrators.orchestrator(id);
    }

    @Override
    public Optional<Orchestrator> orchestratorByAgent(String agentId) {
        return orchestrators.byAgent(agentId);
    }

    @Override
    public List<Orchestrator> orchestrators() {
        return orchestrators.orchestrators();
    }

    @Override
    public Optional<Command> command(long id) {
        return commands.command(id);
    }

    @Override
    public List<Command> commands(CommandQuery query) {
        return commands.commands(query);
    }

    @Override
    public Optional<Pair> pair(long id) {
        return pairs.pair(id);
    }

    @Override
    public Optional<Pair> openPair(String agentA, String agentB) {
        return pairs.open(agentA, agentB);
    }

    @Override
    public List<Pair> pairs(PairQuery query) {
        return pairs.pairs(query);
    }

    @Override
    public Optional<PolicyState> policyState(String policyName) {
        return policyStates.state(policyName);
    }

    @Override
    public List<PolicyState> policyStates() {
        return policyStates.states();
    }

    @Override
    public Optional<ConnectorRow> connector(String id) {
        return connectors.connector(id);
    }

    @Override
    public List<ConnectorRow> connectors() {
        return connectors.connectors();
    }
}
