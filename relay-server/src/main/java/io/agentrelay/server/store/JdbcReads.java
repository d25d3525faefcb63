package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Severity;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.api.Wire;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import io.agentrelay.server.routing.Audience;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The queries, in SQL that SQLite and PostgreSQL both accept. One instance per connection; not
 * thread-safe.
 */
class JdbcReads implements Reads {
    static final String AGENT_COLUMNS = "id, name, kind, label, tags, capabilities, status, ready, machine, "
            + "instance_id, epoch, meta, created_at, updated_at, last_seen_at";
    static final String MESSAGE_COLUMNS = "m.id, m.from_agent, m.to_target, m.kind, m.subject, m.body, "
            + "m.reply_to, m.thread_id, m.claimable, m.claimed_by, m.claimed_at, m.claim_expires_at, "
            + "m.idempotency_key, m.meta, m.payload, m.channel, m.max_age_seconds, m.delivery_status, "
            + "m.resolved_to_agent, m.created_at";
    private static final String EVENT_COLUMNS = "id, type, ts, target, agent_id, channel, data";
    static final String TASK_COLUMNS = "id, integration, target, channel, dedupe_key, title, body, severity, "
            + "external_url, metadata, status, claimed_by, claimed_at, progress, result, message_id, "
            + "occurrence_count, created_at, updated_at, last_seen_at, closed_at";
    static final String DELIVERY_COLUMNS = "id, integration, task_id, event_id, task, status, attempts, "
            + "next_attempt_at, last_status_code, last_error, created_at, updated_at, delivered_at";
    /** The statuses a task can still leave, for SQL; kept in step with {@link TaskStatus#active()}. */
    static final List<String> ACTIVE_STATUSES = java.util.Arrays.stream(TaskStatus.values())
            .filter(TaskStatus::active).map(TaskStatus::wire).toList();

    protected final Statements statements;

    JdbcReads(Statements statements) {
        this.statements = statements;
    }

    @Override
    public Optional<AgentCard> agent(String id) {
        return query("SELECT " + AGENT_COLUMNS + " FROM agents WHERE id = ?", List.of(id), JdbcReads::agentRow)
                .stream().findFirst();
    }

    @Override
    public List<AgentCard> agents(AgentQuery filter) {
        StringBuilder sql = new StringBuilder("SELECT " + AGENT_COLUMNS + " FROM agents WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            args.add(filter.status().wire());
        }
        if (filter.kind() != null) {
            sql.append(" AND kind = ?");
            args.add(filter.kind().wire());
        }
        sql.append(" ORDER BY id");
        // Tags and capabilities are JSON arrays; matching them in Java keeps this SQL portable.
        return query(sql.toString(), args, JdbcReads::agentRow).stream()
                .filter(agent -> filter.tag() == null || agent.tags().contains(filter.tag()))
                .filter(agent -> filter.capability() == null || agent.capabilities().contains(filter.capability()))
                .toList();
    }

    @Override
    public Optional<Message> message(long id) {
        return query("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.id = ?", List.of(id),
                rs -> messageRow(rs, false)).stream().findFirst();
    }

    @Override
    public Optional<Message> messageByIdempotencyKey(String from, String idempotencyKey) {
        return query("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.from_agent = ? AND m.idempotency_key = ?",
                List.of(from, idempotencyKey), rs -> messageRow(rs, false)).stream().findFirst();
    }

    /** The SQL form of {@link Audience#receives}: keep the two in step. */
    @Override
    public List<Message> inbox(Audience audience, MessageQuery page) {
        StringBuilder sql = new StringBuilder("SELECT " + MESSAGE_COLUMNS + ", r.read_at FROM messages m "
                + "LEFT JOIN message_reads r ON r.message_id = m.id AND r.agent_id = ? WHERE m.to_target IN (");
        List<Object> args = new ArrayList<>();
        args.add(audience.agentId());
        appendPlaceholders(sql, args, audience.targets());
        sql.append(") AND m.id > ? AND m.delivery_status = ? AND (m.from_agent <> ? OR m.to_target = ?)");
        args.add(page.since());
        args.add(DeliveryStatus.DELIVERED.wire());
        args.add(audience.agentId());
        args.add(audience.agentId());
        appendMessageFilters(sql, args, page);
        if (page.unreadOnly()) {
            sql.append(" AND r.read_at IS NULL");
        }
        sql.append(" ORDER BY m.id LIMIT ?");
        args.add(page.limit());
        return query(sql.toString(), args, rs -> messageRow(rs, true));
    }

    @Override
    public List<Message> recent(MessageQuery page) {
        StringBuilder sql = new StringBuilder("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.id > ?");
        List<Object> args = new ArrayList<>();
        args.add(page.since());
        if (page.before() > 0) {
            sql.append(" AND m.id < ?");
            args.add(page.before());
        }
        appendMessageFilters(sql, args, page);
        sql.append(" ORDER BY m.id DESC LIMIT ?");
        args.add(page.limit());
        return query(sql.toString(), args, rs -> messageRow(rs, false));
    }

    @Override
    public long cursor(Audience audience) {
        StringBuilder sql = new StringBuilder("SELECT MAX(m.id) FROM messages m WHERE m.to_target IN (");
        List<Object> args = new ArrayList<>();
        appendPlaceholders(sql, args, audience.targets());
        sql.append(") AND m.delivery_status = ? AND (m.from_agent <> ? OR m.to_target = ?)");
        args.add(DeliveryStatus.DELIVERED.wire());
        args.add(audience.agentId());
        args.add(audience.agentId());
        return query(sql.toString(), args, rs -> rs.getLong(1)).get(0);
    }

    @Override
    public List<Message> thread(long threadId) {
        return query("SELECT " + MESSAGE_COLUMNS + " FROM messages m WHERE m.id = ? OR m.thread_id = ? ORDER BY m.id",
                List.of(threadId, threadId), rs -> messageRow(rs, false));
    }

    @Override
    public List<ReadMark> readMarks(long messageId) {
        return query("SELECT agent_id, read_at FROM message_reads WHERE message_id = ? ORDER BY read_at, agent_id",
                List.of(messageId), rs -> new ReadMark(rs.getString(1), rs.getLong(2)));
    }

    @Override
    public List<Event> events(EventQuery page) {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM events WHERE id > ? AND id <= ?");
        List<Object> args = new ArrayList<>();
        args.add(page.after());
        args.add(page.upTo());
        appendEventFilters(sql, args, page);
        sql.append(" ORDER BY id LIMIT ?");
        args.add(page.limit());
        return query(sql.toString(), args, JdbcReads::eventRow);
    }

    @Override
    public long replayStart(EventQuery page, int newest) {
        StringBuilder sql = new StringBuilder("SELECT id FROM events WHERE id > ? AND id <= ?");
        List<Object> args = new ArrayList<>();
        args.add(page.after());
        args.add(page.upTo());
        appendEventFilters(sql, args, page);
        // The (newest+1)-th newest match: everything above it is exactly the newest matches.
        sql.append(" ORDER BY id DESC LIMIT 1 OFFSET ?");
        args.add(newest);
        List<Long> cut = query(sql.toString(), args, rs -> rs.getLong(1));
        return cut.isEmpty() ? page.after() : cut.get(0);
    }

    private static void appendEventFilters(StringBuilder sql, List<Object> args, EventQuery page) {
        if (!page.types().isEmpty()) {
            sql.append(" AND type IN (");
            appendPlaceholders(sql, args, page.types().stream().map(EventType::wire).sorted().toList());
            sql.append(')');
        }
        if (!page.channels().isEmpty()) {
            sql.append(" AND channel IN (");
            appendPlaceholders(sql, args, page.channels().stream().sorted().toList());
            sql.append(')');
        }
        if (page.audiences() != null) {
            // Concerns at least one audience: its target reaches one of them, or it is about one of them.
            java.util.SortedSet<String> targets = new java.util.TreeSet<>();
            java.util.SortedSet<String> agents = new java.util.TreeSet<>();
            for (Audience audience : page.audiences()) {
                targets.addAll(audience.targets());
                agents.add(audience.agentId());
            }
            if (agents.isEmpty()) {
                sql.append(" AND 1 = 0");
                return;
            }
            sql.append(" AND (target IN (");
            appendPlaceholders(sql, args, targets);
            sql.append(") OR agent_id IN (");
            appendPlaceholders(sql, args, agents);
            sql.append("))");
        }
    }

    @Override
    public Counts counts() {
        return query("SELECT (SELECT COUNT(*) FROM agents), "
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
        return query("SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?", List.of(id), JdbcReads::taskRow)
                .stream().findFirst();
    }

    @Override
    public Optional<Task> activeTask(String integration, String dedupeKey) {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS
                + " FROM tasks WHERE integration = ? AND dedupe_key = ? AND status IN (");
        List<Object> args = new ArrayList<>(List.of(integration, dedupeKey));
        appendPlaceholders(sql, args, ACTIVE_STATUSES);
        sql.append(") ORDER BY id DESC LIMIT 1");
        return query(sql.toString(), args, JdbcReads::taskRow).stream().findFirst();
    }

    @Override
    public List<Task> tasks(TaskQuery page) {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM tasks WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (page.status() != null) {
            sql.append(" AND status = ?");
            args.add(page.status().wire());
        }
        if (page.target() != null) {
            sql.append(" AND target = ?");
            args.add(page.target());
        }
        if (page.channel() != null) {
            sql.append(" AND channel = ?");
            args.add(page.channel());
        }
        if (page.integration() != null) {
            sql.append(" AND integration = ?");
            args.add(page.integration());
        }
        if (page.before() > 0) {
            sql.append(" AND id < ?");
            args.add(page.before());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(page.limit());
        return query(sql.toString(), args, JdbcReads::taskRow);
    }

    @Override
    public List<TaskEvent> taskEvents(long taskId) {
        return query("SELECT id, task_id, kind, agent_id, from_status, to_status, data, event_id, at "
                + "FROM task_events WHERE task_id = ? ORDER BY id", List.of(taskId), rs -> new TaskEvent(
                        rs.getLong(1), rs.getLong(2), Wire.find(TaskEvent.Kind.class, rs.getString(3)), rs.getString(4),
                        Wire.find(TaskStatus.class, rs.getString(5)), Wire.find(TaskStatus.class, rs.getString(6)),
                        JsonColumns.object(rs.getString(7)), rs.getLong(8), rs.getLong(9)));
    }

    @Override
    public List<Delivery> deliveries(String integration, long before, int limit) {
        return query("SELECT " + DELIVERY_COLUMNS + " FROM callback_deliveries WHERE integration = ? AND id < ? "
                        + "ORDER BY id DESC LIMIT ?",
                List.of(integration, before > 0 ? before : Long.MAX_VALUE, limit), JdbcReads::deliveryRow);
    }

    @Override
    public List<DeliveryAttempt> deliveryAttempts(long deliveryId) {
        return query("SELECT delivery_id, attempt, at, status_code, error FROM callback_attempts "
                        + "WHERE delivery_id = ? ORDER BY attempt", List.of(deliveryId),
                rs -> new DeliveryAttempt(rs.getLong(1), rs.getInt(2), rs.getLong(3), nullableInt(rs, 4),
                        rs.getString(5)));
    }

    @Override
    public List<Delivery> dueDeliveries(long now, int limit) {
        // A task's callbacks go out one at a time, in order: one waits while an earlier one of the
        // same task is still pending, so a receiver never hears "done" before "in_progress".
        return query("SELECT " + DELIVERY_COLUMNS + " FROM callback_deliveries d WHERE status = ? "
                        + "AND next_attempt_at <= ? AND lease_until <= ? AND NOT EXISTS (SELECT 1 FROM callback_deliveries e "
                        + "WHERE e.task_id = d.task_id AND e.status = ? AND e.id < d.id) "
                        + "ORDER BY next_attempt_at, id LIMIT ?",
                List.of(Delivery.State.PENDING.wire(), now, now, Delivery.State.PENDING.wire(), limit),
                JdbcReads::deliveryRow);
    }

    @Override
    public List<Event> eventsBefore(long before, int limit) {
        return query("SELECT " + EVENT_COLUMNS + " FROM events WHERE id < ? ORDER BY id DESC LIMIT ?",
                List.of(before > 0 ? before : Long.MAX_VALUE, limit), JdbcReads::eventRow);
    }

    @Override
    public Optional<Event> reportedActivity(String clientId) {
        return query("SELECT e.id, e.type, e.ts, e.target, e.agent_id, e.channel, e.data FROM activity_reports a "
                        + "JOIN events e ON e.id = a.event_id WHERE a.client_id = ?", List.of(clientId),
                JdbcReads::eventRow).stream().findFirst();
    }

    // ---- plumbing ----

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    protected final <T> List<T> query(String sql, List<?> args, RowMapper<T> mapper) {
        try {
            PreparedStatement statement = statements.prepare(sql);
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            statementFailed();
            throw new StoreException("query failed: " + sql, e);
        }
    }

    /**
     * Called when a statement fails. On PostgreSQL a failed statement spoils its whole
     * transaction, so a writer must treat it as a unit that wrote (see {@link JdbcTx#takeWrote}).
     */
    protected void statementFailed() {
    }

    static void bind(PreparedStatement statement, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    static void appendPlaceholders(StringBuilder sql, List<Object> args, Collection<String> values) {
        boolean first = true;
        for (String value : values) {
            sql.append(first ? "?" : ", ?");
            args.add(value);
            first = false;
        }
    }

    private static void appendMessageFilters(StringBuilder sql, List<Object> args, MessageQuery page) {
        if (page.channel() != null) {
            sql.append(" AND m.channel = ?");
            args.add(page.channel());
        }
        if (page.kind() != null) {
            sql.append(" AND m.kind = ?");
            args.add(page.kind().wire());
        }
    }

    /** Reads a row selected with {@link #AGENT_COLUMNS}, by position (name lookups cost a native call each). */
    static AgentCard agentRow(ResultSet rs) throws SQLException {
        return new AgentCard(
                rs.getString(1),
                rs.getString(2),
                Wire.find(AgentKind.class, rs.getString(3)),
                rs.getString(4),
                JsonColumns.strings(rs.getString(5)),
                JsonColumns.strings(rs.getString(6)),
                Wire.find(AgentStatus.class, rs.getString(7)),
                rs.getInt(8) != 0,
                rs.getString(9),
                rs.getString(10),
                rs.getLong(11),
                JsonColumns.object(rs.getString(12)),
                rs.getLong(13),
                rs.getLong(14),
                rs.getLong(15));
    }

    static Message messageRow(ResultSet rs, boolean withRead) throws SQLException {
        long id = rs.getLong(1);
        long threadId = rs.getLong(8);
        return new Message(
                id,
                rs.getString(2),
                rs.getString(3),
                Wire.find(MessageKind.class, rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                nullableLong(rs, 7),
                threadId == 0 ? id : threadId,
                rs.getInt(9) != 0,
                rs.getString(10),
                nullableLong(rs, 11),
                nullableLong(rs, 12),
                rs.getString(13),
                JsonColumns.object(rs.getString(14)),
                JsonColumns.object(rs.getString(15)),
                rs.getString(16),
                nullableInt(rs, 17),
                Wire.find(DeliveryStatus.class, rs.getString(18)),
                rs.getString(19),
                rs.getLong(20),
                withRead ? rs.getObject(21) != null : null);
    }

    static Event eventRow(ResultSet rs) throws SQLException {
        String type = rs.getString(2);
        EventType eventType = Wire.find(EventType.class, type);
        if (eventType == null) {
            throw new SQLException("unknown event type in the log: " + type);
        }
        return new Event(rs.getLong(1), eventType, rs.getLong(3),
                new Event.Scope(rs.getString(4), rs.getString(5), rs.getString(6)), rs.getString(7));
    }

    static Task taskRow(ResultSet rs) throws SQLException {
        return new Task(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                Wire.find(Severity.class, rs.getString(8)),
                rs.getString(9),
                JsonColumns.object(rs.getString(10)),
                Wire.find(TaskStatus.class, rs.getString(11)),
                rs.getString(12),
                nullableLong(rs, 13),
                rs.getString(14),
                rs.getString(15),
                nullableLong(rs, 16),
                rs.getInt(17),
                rs.getLong(18),
                rs.getLong(19),
                rs.getLong(20),
                nullableLong(rs, 21));
    }

    static Delivery deliveryRow(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                Wire.find(Delivery.State.class, rs.getString(6)), rs.getInt(7), rs.getLong(8), nullableInt(rs, 9),
                rs.getString(10), rs.getLong(11), rs.getLong(12), nullableLong(rs, 13), null);
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
