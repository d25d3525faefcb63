package io.agentrelay.server.store;

import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Severity;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Tasks ({@code tasks}) and their history ({@code task_events}). */
final class TaskSql {
    static final String COLUMNS = "id, integration, target, channel, dedupe_key, title, body, severity, "
            + "external_url, metadata, status, claimed_by, claimed_at, progress, result, message_id, "
            + "occurrence_count, created_at, updated_at, last_seen_at, closed_at";
    /** The statuses a task can still leave, for SQL; kept in step with {@link TaskStatus#active()}. */
    static final List<String> ACTIVE_STATUSES = Arrays.stream(TaskStatus.values())
            .filter(TaskStatus::active).map(TaskStatus::wire).toList();
    private static final String INSERT = "INSERT INTO tasks (integration, target, channel, dedupe_key, title, body, "
            + "severity, external_url, metadata, status, occurrence_count, created_at, updated_at, last_seen_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
    private static final String UPDATE = "UPDATE tasks SET status = ?, claimed_by = ?, claimed_at = ?, progress = ?, "
            + "result = ?, message_id = ?, occurrence_count = ?, updated_at = ?, last_seen_at = ?, closed_at = ? "
            + "WHERE id = ?";

    private final Sql sql;

    TaskSql(Sql sql) {
        this.sql = sql;
    }

    Optional<Task> task(long id) {
        return sql.query("SELECT " + COLUMNS + " FROM tasks WHERE id = ?", List.of(id), TaskSql::row)
                .stream().findFirst();
    }

    Optional<Task> activeTask(String integration, String dedupeKey) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS
                + " FROM tasks WHERE integration = ? AND dedupe_key = ? AND status IN (");
        List<Object> args = new ArrayList<>(List.of(integration, dedupeKey));
        Sql.appendPlaceholders(text, args, ACTIVE_STATUSES);
        text.append(") ORDER BY id DESC LIMIT 1");
        return sql.query(text.toString(), args, TaskSql::row).stream().findFirst();
    }

    List<Task> tasks(TaskQuery page) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (page.status() != null) {
            text.append(" AND status = ?");
            args.add(page.status().wire());
        }
        if (page.target() != null) {
            text.append(" AND target = ?");
            args.add(page.target());
        }
        if (page.channel() != null) {
            text.append(" AND channel = ?");
            args.add(page.channel());
        }
        if (page.integration() != null) {
            text.append(" AND integration = ?");
            args.add(page.integration());
        }
        if (page.before() > 0) {
            text.append(" AND id < ?");
            args.add(page.before());
        }
        text.append(" ORDER BY id DESC LIMIT ?");
        args.add(page.limit());
        return sql.query(text.toString(), args, TaskSql::row);
    }

    List<TaskEvent> taskEvents(long taskId) {
        return sql.query("SELECT id, task_id, kind, agent_id, from_status, to_status, data, event_id, at "
                + "FROM task_events WHERE task_id = ? ORDER BY id", List.of(taskId), rs -> new TaskEvent(
                        rs.getLong("id"), rs.getLong("task_id"), Wire.find(TaskEvent.Kind.class, rs.getString("kind")),
                        rs.getString("agent_id"), Wire.find(TaskStatus.class, rs.getString("from_status")),
                        Wire.find(TaskStatus.class, rs.getString("to_status")),
                        JsonColumns.object(rs.getString("data")), rs.getLong("event_id"), rs.getLong("at")));
    }

    List<Task> heldByUnavailableAgents() {
        StringBuilder text = new StringBuilder("SELECT t." + COLUMNS.replace(", ", ", t.")
                + " FROM tasks t LEFT JOIN agents a ON a.id = t.claimed_by "
                + "WHERE t.claimed_by IS NOT NULL AND (a.id IS NULL OR a.status = ?) AND t.status IN (");
        List<Object> args = new ArrayList<>();
        args.add(AgentStatus.OFFLINE.wire());
        Sql.appendPlaceholders(text, args, ACTIVE_STATUSES);
        text.append(") ORDER BY t.id");
        return sql.query(text.toString(), args, TaskSql::row);
    }

    Task insert(NewTask t) {
        return inserted(t, sql.insertReturningId(INSERT + " RETURNING id", values(t)));
    }

    Optional<Task> insertOnce(NewTask t) {
        // The conflict target repeats the partial unique index's predicate (tasks_active_dedupe), as both dialects require.
        return sql.insertOnce(INSERT + " ON CONFLICT (integration, dedupe_key) WHERE dedupe_key IS NOT NULL "
                + "AND status IN ('open', 'claimed', 'in_progress', 'blocked') DO NOTHING RETURNING id", values(t))
                .map(id -> inserted(t, id));
    }

    void save(Task t) {
        sql.update(UPDATE, changes(t));
    }

    boolean saveIf(Task t, TaskStatus expected) {
        List<Object> args = changes(t);
        args.add(expected.wire());
        return sql.update(UPDATE + " AND status = ?", args) > 0;
    }

    void countOccurrence(long taskId, long at) {
        sql.update("UPDATE tasks SET occurrence_count = occurrence_count + 1, last_seen_at = ?, updated_at = ? WHERE id = ?",
                List.of(at, at, taskId));
    }

    TaskEvent insertEvent(TaskEvent e) {
        long id = sql.insertReturningId("INSERT INTO task_events (task_id, kind, agent_id, from_status, to_status, data, "
                        + "event_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Arrays.asList(e.taskId(), e.kind().wire(), e.agentId(), e.from() == null ? null : e.from().wire(),
                        e.to() == null ? null : e.to().wire(), JsonColumns.write(e.data()), e.eventId(), e.at()));
        return new TaskEvent(id, e.taskId(), e.kind(), e.agentId(), e.from(), e.to(), e.data(), e.eventId(), e.at());
    }

    private static List<Object> values(NewTask t) {
        return Arrays.asList(t.integration(), t.target(), t.channel(), t.dedupeKey(), t.title(), t.body(),
                t.severity().wire(), t.externalUrl(), JsonColumns.write(t.metadata()), TaskStatus.OPEN.wire(),
                t.createdAt(), t.createdAt(), t.createdAt());
    }

    /** The changeable fields, then the id: the arguments of {@link #UPDATE}. */
    private static List<Object> changes(Task t) {
        return new ArrayList<>(Arrays.asList(t.status().wire(), t.claimedBy(), t.claimedAt(), t.progress(), t.result(),
                t.messageId(), t.occurrenceCount(), t.updatedAt(), t.lastSeenAt(), t.closedAt(), t.id()));
    }

    private static Task inserted(NewTask t, long id) {
        return new Task(id, t.integration(), t.target(), t.channel(), t.dedupeKey(), t.title(), t.body(), t.severity(),
                t.externalUrl(), t.metadata(), TaskStatus.OPEN, null, null, null, null, null, 1, t.createdAt(),
                t.createdAt(), t.createdAt(), null);
    }

    static Task row(ResultSet rs) throws SQLException {
        return new Task(
                rs.getLong("id"),
                rs.getString("integration"),
                rs.getString("target"),
                rs.getString("channel"),
                rs.getString("dedupe_key"),
                rs.getString("title"),
                rs.getString("body"),
                Wire.find(Severity.class, rs.getString("severity")),
                rs.getString("external_url"),
                JsonColumns.object(rs.getString("metadata")),
                Wire.find(TaskStatus.class, rs.getString("status")),
                rs.getString("claimed_by"),
                Sql.nullableLong(rs, "claimed_at"),
                rs.getString("progress"),
                rs.getString("result"),
                Sql.nullableLong(rs, "message_id"),
                rs.getInt("occurrence_count"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                rs.getLong("last_seen_at"),
                Sql.nullableLong(rs, "closed_at"));
    }
}
