package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The writes, in SQL that SQLite and PostgreSQL both accept. Owned by the writer thread; collects
 * the events appended by the current unit of work so the writer can publish them after commit, or
 * drop them when the work is rolled back, and notes whether the unit has written anything yet: a
 * unit that fails before its first write leaves nothing to undo.
 */
final class JdbcTx extends JdbcReads implements Tx {
    private final List<Event> appended = new ArrayList<>();
    private boolean wrote;

    JdbcTx(Statements statements) {
        super(statements);
    }

    /** The events appended since the last call, handing them over to the caller. */
    List<Event> takeEvents() {
        if (appended.isEmpty()) {
            return List.of();
        }
        List<Event> events = List.copyOf(appended);
        appended.clear();
        return events;
    }

    /**
     * Whether a write statement ran (or was attempted) since the last call; resets the flag. Set
     * before the statement runs, so a statement that fails counts as a write too, and so does a
     * failed query: either may have spoiled the transaction.
     */
    boolean takeWrote() {
        boolean result = wrote;
        wrote = false;
        return result;
    }

    @Override
    protected void statementFailed() {
        wrote = true;
    }

    private int update(String sql, List<?> args) {
        wrote = true;
        try {
            PreparedStatement statement = statements.prepare(sql);
            bind(statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("update failed: " + sql, e);
        }
    }

    /** Runs an {@code INSERT ... RETURNING id} and returns the new row's id. */
    private long insertReturningId(String sql, List<?> args) {
        return insertOnce(sql, args).orElseThrow();
    }

    /** Runs an {@code INSERT ... ON CONFLICT DO NOTHING RETURNING id}: the new row's id, or empty. */
    private Optional<Long> insertOnce(String sql, List<?> args) {
        wrote = true;
        return query(sql, args, rs -> rs.getLong(1)).stream().findFirst();
    }

    private static final String AGENT_VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static List<Object> agentValues(AgentCard agent) {
        return Arrays.asList(agent.id(), agent.name(), agent.kind().wire(), agent.label(),
                JsonColumns.write(agent.tags()), JsonColumns.write(agent.capabilities()),
                agent.status().wire(), agent.ready() ? 1 : 0, agent.machine(), agent.instanceId(),
                agent.epoch(), JsonColumns.write(agent.meta()), agent.createdAt(), agent.updatedAt(),
                agent.lastSeenAt());
    }

    @Override
    public boolean saveAgentIf(AgentCard agent, Long expectedEpoch) {
        if (expectedEpoch == null) {
            return update("INSERT INTO agents (" + AGENT_COLUMNS + ") " + AGENT_VALUES + " ON CONFLICT (id) DO NOTHING",
                    agentValues(agent)) > 0;
        }
        return update("UPDATE agents SET name = ?, kind = ?, label = ?, tags = ?, capabilities = ?, status = ?, "
                        + "ready = ?, machine = ?, instance_id = ?, epoch = ?, meta = ?, updated_at = ?, last_seen_at = ? "
                        + "WHERE id = ? AND epoch = ?",
                Arrays.asList(agent.name(), agent.kind().wire(), agent.label(), JsonColumns.write(agent.tags()),
                        JsonColumns.write(agent.capabilities()), agent.status().wire(), agent.ready() ? 1 : 0,
                        agent.machine(), agent.instanceId(), agent.epoch(), JsonColumns.write(agent.meta()),
                        agent.updatedAt(), agent.lastSeenAt(), agent.id(), expectedEpoch)) > 0;
    }

    @Override
    public void saveAgent(AgentCard agent) {
        update("INSERT INTO agents (" + AGENT_COLUMNS + ") " + AGENT_VALUES + " "
                        + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                        + "label = excluded.label, tags = excluded.tags, capabilities = excluded.capabilities, "
                        + "status = excluded.status, ready = excluded.ready, machine = excluded.machine, "
                        + "instance_id = excluded.instance_id, epoch = excluded.epoch, meta = excluded.meta, "
                        + "updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at",
                agentValues(agent));
    }

    @Override
    public boolean deleteAgent(String id) {
        update("DELETE FROM message_reads WHERE agent_id = ?", List.of(id));
        return update("DELETE FROM agents WHERE id = ?", List.of(id)) > 0;
    }

    private static final String INSERT_MESSAGE = "INSERT INTO messages (from_agent, to_target, kind, subject, body, "
            + "reply_to, thread_id, claimable, idempotency_key, meta, payload, channel, max_age_seconds, delivery_status, "
            + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static List<Object> messageValues(NewMessage m) {
        return Arrays.asList(m.from(), m.to(), m.kind().wire(), m.subject(), m.body(), m.replyTo(), m.threadId(),
                m.claimable() ? 1 : 0, m.idempotencyKey(), JsonColumns.write(m.meta()),
                JsonColumns.write(m.payload()), m.channel(), m.maxAgeSeconds(), m.deliveryStatus().wire(),
                m.createdAt());
    }

    @Override
    public Message insertMessage(NewMessage m) {
        return inserted(m, insertReturningId(INSERT_MESSAGE + " RETURNING id", messageValues(m)));
    }

    @Override
    public Optional<Message> insertMessageOnce(NewMessage m) {
        return insertOnce(INSERT_MESSAGE + " ON CONFLICT (from_agent, idempotency_key) WHERE idempotency_key IS NOT NULL "
                + "DO NOTHING RETURNING id", messageValues(m)).map(id -> inserted(m, id));
    }

    @Override
    public boolean claimMessage(long messageId, String holder, long now, long expiresAt) {
        return update("UPDATE messages SET claimed_by = ?, claimed_at = ?, claim_expires_at = ? "
                        + "WHERE id = ? AND claimable = 1 AND (claimed_by IS NULL OR claimed_by = ? "
                        + "OR claim_expires_at IS NULL OR claim_expires_at <= ?)",
                List.of(holder, now, expiresAt, messageId, holder, now)) > 0;
    }

    private static Message inserted(NewMessage m, long id) {
        return new Message(id, m.from(), m.to(), m.kind(), m.subject(), m.body(), m.replyTo(),
                m.threadId() == null ? id : m.threadId(), m.claimable(), null, null, null, m.idempotencyKey(),
                m.meta(), m.payload(), m.channel(), m.maxAgeSeconds(), m.deliveryStatus(), null, m.createdAt(),
                null);
    }

    @Override
    public void updateClaim(long messageId, String holder, Long claimedAt, Long expiresAt) {
        update("UPDATE messages SET claimed_by = ?, claimed_at = ?, claim_expires_at = ? WHERE id = ?",
                Arrays.asList(holder, claimedAt, expiresAt, messageId));
    }

    @Override
    public boolean markRead(long messageId, String agentId, long at) {
        return update("INSERT INTO message_reads (message_id, agent_id, read_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (message_id, agent_id) DO NOTHING", List.of(messageId, agentId, at)) > 0;
    }

    @Override
    public boolean deleteMessage(long id) {
        update("DELETE FROM message_reads WHERE message_id = ?", List.of(id));
        return update("DELETE FROM messages WHERE id = ?", List.of(id)) > 0;
    }

    @Override
    public List<AgentCard> agentsSilentSince(long cutoff) {
        return query("SELECT " + AGENT_COLUMNS + " FROM agents WHERE last_seen_at < ? ORDER BY id",
                List.of(cutoff), JdbcReads::agentRow);
    }

    @Override
    public List<Message> claimsToRelease(long now) {
        return query("SELECT " + MESSAGE_COLUMNS + " FROM messages m LEFT JOIN agents a ON a.id = m.claimed_by "
                        + "WHERE m.claimed_by IS NOT NULL AND (m.claim_expires_at <= ? OR a.id IS NULL OR a.status = ?) "
                        + "ORDER BY m.id",
                List.of(now, AgentStatus.OFFLINE.wire()), rs -> messageRow(rs, false));
    }

    @Override
    public long pruneBefore(long cutoff, int batch) {
        long removed = 0;
        long lastOldMessage = lastOfOldestPrefix("messages", "created_at", cutoff, batch);
        if (lastOldMessage > 0) {
            update("DELETE FROM message_reads WHERE message_id <= ?", List.of(lastOldMessage));
            removed += update("DELETE FROM messages WHERE id <= ?", List.of(lastOldMessage));
        }
        long lastOldEvent = lastOfOldestPrefix("events", "ts", cutoff, batch);
        if (lastOldEvent > 0) {
            removed += update("DELETE FROM events WHERE id <= ?", List.of(lastOldEvent));
            update("UPDATE event_log SET pruned_through = ? WHERE pruned_through < ?", List.of(lastOldEvent, lastOldEvent));
        }
        return removed;
    }

    /**
     * Pruning goes oldest id first and stops at the first row that is not older than the cutoff:
     * ids grow with time, so this needs no index on the time column (which every insert would pay
     * for), and it never reads more than {@code batch} rows. Returns the last id of the old prefix
     * among the {@code batch} lowest ids, or 0 when the lowest row is not old.
     */
    private long lastOfOldestPrefix(String table, String timeColumn, long cutoff, int batch) {
        List<long[]> oldest = query("SELECT id, " + timeColumn + " FROM " + table + " ORDER BY id LIMIT ?",
                List.of(batch), rs -> new long[] {rs.getLong(1), rs.getLong(2)});
        long last = 0;
        for (long[] row : oldest) {
            if (row[1] >= cutoff) {
                break;
            }
            last = row[0];
        }
        return last;
    }

    private static final String INSERT_TASK = "INSERT INTO tasks (integration, target, channel, dedupe_key, title, body, "
            + "severity, external_url, metadata, status, occurrence_count, created_at, updated_at, last_seen_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";

    private static List<Object> taskValues(NewTask t) {
        return Arrays.asList(t.integration(), t.target(), t.channel(), t.dedupeKey(), t.title(), t.body(),
                t.severity().wire(), t.externalUrl(), JsonColumns.write(t.metadata()), TaskStatus.OPEN.wire(),
                t.createdAt(), t.createdAt(), t.createdAt());
    }

    @Override
    public Task insertTask(NewTask t) {
        return inserted(t, insertReturningId(INSERT_TASK + " RETURNING id", taskValues(t)));
    }

    @Override
    public Optional<Task> insertTaskOnce(NewTask t) {
        // The conflict target repeats the partial unique index's predicate (tasks_active_dedupe), as both dialects require.
        return insertOnce(INSERT_TASK + " ON CONFLICT (integration, dedupe_key) WHERE dedupe_key IS NOT NULL "
                + "AND status IN ('open', 'claimed', 'in_progress', 'blocked') DO NOTHING RETURNING id", taskValues(t))
                .map(id -> inserted(t, id));
    }

    @Override
    public boolean saveTaskIf(Task t, TaskStatus expected) {
        return update("UPDATE tasks SET status = ?, claimed_by = ?, claimed_at = ?, progress = ?, result = ?, "
                        + "message_id = ?, occurrence_count = ?, updated_at = ?, last_seen_at = ?, closed_at = ? "
                        + "WHERE id = ? AND status = ?",
                Arrays.asList(t.status().wire(), t.claimedBy(), t.claimedAt(), t.progress(), t.result(), t.messageId(),
                        t.occurrenceCount(), t.updatedAt(), t.lastSeenAt(), t.closedAt(), t.id(), expected.wire())) > 0;
    }

    @Override
    public void countOccurrence(long taskId, long at) {
        update("UPDATE tasks SET occurrence_count = occurrence_count + 1, last_seen_at = ?, updated_at = ? WHERE id = ?",
                List.of(at, at, taskId));
    }

    private static Task inserted(NewTask t, long id) {
        return new Task(id, t.integration(), t.target(), t.channel(), t.dedupeKey(), t.title(), t.body(), t.severity(),
                t.externalUrl(), t.metadata(), TaskStatus.OPEN, null, null, null, null, null, 1, t.createdAt(),
                t.createdAt(), t.createdAt(), null);
    }

    @Override
    public void saveTask(Task t) {
        update("UPDATE tasks SET status = ?, claimed_by = ?, claimed_at = ?, progress = ?, result = ?, message_id = ?, "
                        + "occurrence_count = ?, updated_at = ?, last_seen_at = ?, closed_at = ? WHERE id = ?",
                Arrays.asList(t.status().wire(), t.claimedBy(), t.claimedAt(), t.progress(), t.result(), t.messageId(),
                        t.occurrenceCount(), t.updatedAt(), t.lastSeenAt(), t.closedAt(), t.id()));
    }

    @Override
    public TaskEvent insertTaskEvent(TaskEvent e) {
        long id = insertReturningId("INSERT INTO task_events (task_id, kind, agent_id, from_status, to_status, data, event_id, at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Arrays.asList(e.taskId(), e.kind().wire(), e.agentId(), e.from() == null ? null : e.from().wire(),
                        e.to() == null ? null : e.to().wire(), JsonColumns.write(e.data()), e.eventId(), e.at()));
        return new TaskEvent(id, e.taskId(), e.kind(), e.agentId(), e.from(), e.to(), e.data(), e.eventId(), e.at());
    }

    @Override
    public List<Task> tasksHeldByUnavailableAgents() {
        StringBuilder sql = new StringBuilder("SELECT t." + TASK_COLUMNS.replace(", ", ", t.")
                + " FROM tasks t LEFT JOIN agents a ON a.id = t.claimed_by "
                + "WHERE t.claimed_by IS NOT NULL AND (a.id IS NULL OR a.status = ?) AND t.status IN (");
        List<Object> args = new ArrayList<>();
        args.add(AgentStatus.OFFLINE.wire());
        appendPlaceholders(sql, args, ACTIVE_STATUSES);
        sql.append(") ORDER BY t.id");
        return query(sql.toString(), args, JdbcReads::taskRow);
    }

    @Override
    public Delivery insertDelivery(String integration, Task task, long eventId, long at) {
        String json = JsonColumns.write(task);
        long id = insertReturningId("INSERT INTO callback_deliveries (integration, task_id, event_id, task, status, attempts, "
                        + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
                Arrays.asList(integration, task.id(), eventId, json, Delivery.State.PENDING.wire(), at, at, at));
        return new Delivery(id, integration, task.id(), eventId, json, Delivery.State.PENDING, 0, at, null, null, at,
                at, null, null);
    }

    @Override
    public List<Delivery> leaseDueDeliveries(long now, int limit, long until) {
        List<Delivery> leased = new ArrayList<>();
        for (Delivery delivery : dueDeliveries(now, limit)) {
            if (update("UPDATE callback_deliveries SET lease_until = ? WHERE id = ? AND status = ? AND lease_until <= ?",
                    List.of(until, delivery.id(), Delivery.State.PENDING.wire(), now)) > 0) {
                leased.add(delivery);
            }
        }
        return leased;
    }

    @Override
    public boolean acquireLease(String name, String holder, long now, long until) {
        return update("INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE "
                        + "SET holder = excluded.holder, until = excluded.until "
                        + "WHERE leases.holder = excluded.holder OR leases.until <= ?",
                List.of(name, holder, until, now)) > 0;
    }

    @Override
    public void recordAttempt(DeliveryAttempt a, Delivery.State state, long nextAttemptAt) {
        update("INSERT INTO callback_attempts (delivery_id, attempt, at, status_code, error) VALUES (?, ?, ?, ?, ?)",
                Arrays.asList(a.deliveryId(), a.attempt(), a.at(), a.statusCode(), a.error()));
        update("UPDATE callback_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, "
                        + "last_error = ?, updated_at = ?, delivered_at = ?, lease_until = 0 WHERE id = ?",
                Arrays.asList(state.wire(), a.attempt(), nextAttemptAt, a.statusCode(), a.error(), a.at(),
                        state == Delivery.State.DELIVERED ? a.at() : null, a.deliveryId()));
    }

    @Override
    public boolean reserveActivityReport(String clientId, long at) {
        // A pruned item's id may be used again: the update applies only when its event is gone.
        wrote = true;
        return !query("INSERT INTO activity_reports (client_id, event_id, created_at) VALUES (?, 0, ?) "
                        + "ON CONFLICT (client_id) DO UPDATE SET event_id = 0, created_at = excluded.created_at "
                        + "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = activity_reports.event_id) "
                        + "RETURNING client_id",
                List.of(clientId, at), rs -> rs.getString(1)).isEmpty();
    }

    @Override
    public void recordActivityReport(String clientId, long eventId, long at) {
        update("INSERT INTO activity_reports (client_id, event_id, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (client_id) DO UPDATE SET event_id = excluded.event_id, created_at = excluded.created_at",
                List.of(clientId, eventId, at));
    }

    @Override
    public Event append(EventType type, Event.Scope scope, Object data, long ts) {
        String json = JsonColumns.write(data);
        long id = insertReturningId("INSERT INTO events (type, ts, target, agent_id, channel, data) VALUES (?, ?, ?, ?, ?, ?) "
                        + "RETURNING id",
                Arrays.asList(type.wire(), ts, scope.target(), scope.agentId(), scope.channel(), json));
        Event event = new Event(id, type, ts, scope, json);
        appended.add(event);
        return event;
    }
}
