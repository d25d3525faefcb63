package io.agentrelay.server.store;

import io.agentrelay.api.Wire;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.model.Audience;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** The event log ({@code events}) and the end it had when retention last pruned it ({@code event_log}). */
final class EventSql {
    static final String COLUMNS = "id, type, ts, source, subject, target, agent_id, channel, data";

    private final Sql sql;

    /** Above this many targets and agents, a replay is one condition rather than a branch each. */
    static final int MAX_BRANCHES = 64;

    EventSql(Sql sql) {
        this.sql = sql;
    }

    /**
     * A page of the log. With audiences (a stream's replay, {@code /api/events?agentId=}): one
     * branch per target and per agent, each reading its index in id order and stopping at the
     * page's size, their ids merged without duplicates (an event may match a target and an agent);
     * with one {@code target IN (...) OR agent_id IN (...)} condition the database read and sorted
     * every matching event after {@code after} before it kept a page (docs/performance.md, "Ninth
     * session").
     */
    List<Event> events(EventQuery page) {
        List<Object> args = new ArrayList<>();
        if (page.audiences() == null) {
            StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE id > ? AND id <= ?");
            args.add(page.after());
            args.add(page.upTo());
            appendFilters(text, args, page);
            text.append(" ORDER BY id LIMIT ?");
            args.add(page.limit());
            return sql.query(text.toString(), args, EventSql::row);
        }
        // Concerns at least one audience: its target reaches one of them, or it is about one of them.
        SortedSet<String> targets = new TreeSet<>();
        SortedSet<String> agents = new TreeSet<>();
        for (Audience audience : page.audiences()) {
            targets.addAll(audience.targets());
            agents.add(audience.agentId());
        }
        if (agents.isEmpty()) {
            return List.of();
        }
        if (targets.size() + agents.size() > MAX_BRANCHES) {
            // A subscription to many agents: one condition (SQLite allows 500 terms in a compound
            // SELECT, and planning hundreds of branches costs more than the sort they save).
            StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE id > ? AND id <= ?");
            args.add(page.after());
            args.add(page.upTo());
            appendFilters(text, args, page);
            text.append(" AND (target IN (");
            Sql.appendPlaceholders(text, args, targets);
            text.append(") OR agent_id IN (");
            Sql.appendPlaceholders(text, args, agents);
            text.append(")) ORDER BY id LIMIT ?");
            args.add(page.limit());
            return sql.query(text.toString(), args, EventSql::row);
        }
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE id IN (SELECT id FROM (");
        int branch = 0;
        for (String target : targets) {
            branch(text, args, page, "target", target, branch++);
            text.append(" UNION ");
        }
        for (String agent : agents) {
            branch(text, args, page, "agent_id", agent, branch++);
            text.append(" UNION ");
        }
        text.setLength(text.length() - " UNION ".length());
        text.append(") u ORDER BY id LIMIT ?) ORDER BY id");
        args.add(page.limit());
        return sql.query(text.toString(), args, EventSql::row);
    }

    /** The ids of the page's events whose {@code column} is {@code value}. */
    private static void branch(StringBuilder text, List<Object> args, EventQuery page, String column, String value,
                               int branch) {
        text.append("SELECT * FROM (SELECT id FROM events WHERE ").append(column).append(" = ? AND id > ? AND id <= ?");
        args.add(value);
        args.add(page.after());
        args.add(page.upTo());
        appendFilters(text, args, page);
        text.append(" ORDER BY id LIMIT ?) b").append(branch);
        args.add(page.limit());
    }

    List<Event> eventsBefore(long before, int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM events WHERE id < ? ORDER BY id DESC LIMIT ?",
                List.of(before > 0 ? before : Long.MAX_VALUE, limit), EventSql::row);
    }

    /** Appends an event; its data is serialized to JSON here, once. */
    Event append(EventType type, Event.Origin origin, Event.Scope scope, Object data, long ts) {
        String json = JsonColumns.write(data);
        long id = sql.insertReturningId("INSERT INTO events (type, ts, source, subject, target, agent_id, channel, data) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Arrays.asList(type.wire(), ts, origin.source(), origin.subject(), scope.target(), scope.agentId(),
                        scope.channel(), json));
        return new Event(id, type, ts, origin.source(), origin.subject(), scope, json);
    }

    /** Deletes the oldest events older than {@code cutoff}, at most {@code batch}, and remembers the last id gone. */
    long pruneBefore(long cutoff, int batch) {
        long lastOld = sql.lastOfOldestPrefix("events", "ts", cutoff, batch);
        if (lastOld == 0) {
            return 0;
        }
        long removed = sql.update("DELETE FROM events WHERE id <= ?", List.of(lastOld));
        sql.update("UPDATE event_log SET pruned_through = ? WHERE pruned_through < ?", List.of(lastOld, lastOld));
        return removed;
    }

    private static void appendFilters(StringBuilder text, List<Object> args, EventQuery page) {
        if (!page.types().isEmpty()) {
            text.append(" AND type IN (");
            Sql.appendPlaceholders(text, args, page.types().stream().map(EventType::wire).sorted().toList());
            text.append(')');
        }
        if (!page.channels().isEmpty()) {
            text.append(" AND channel IN (");
            Sql.appendPlaceholders(text, args, page.channels().stream().sorted().toList());
            text.append(')');
        }
    }

    static Event row(ResultSet rs) throws SQLException {
        String type = rs.getString("type");
        EventType eventType = Wire.find(EventType.class, type);
        if (eventType == null) {
            throw new SQLException("unknown event type in the log: " + type);
        }
        // Events written before the envelope had a source (schema 6) were all the server's or an
        // agent's own doing; they render as the server's, with no subject.
        String source = rs.getString("source");
        return new Event(rs.getLong("id"), eventType, rs.getLong("ts"), source == null ? Event.SERVER : source,
                rs.getString("subject"), new Event.Scope(rs.getString("target"), rs.getString("agent_id"), rs.getString("channel")),
                rs.getString("data"));
    }
}
