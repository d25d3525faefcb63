package io.agentrelay.server.store;

import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Wire;
import io.agentrelay.server.model.Audience;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code messages} table and its read marks ({@code message_reads}). */
final class MessageSql {
    static final String COLUMNS = "m.id, m.from_agent, m.to_target, m.kind, m.subject, m.body, "
            + "m.reply_to, m.thread_id, m.claimable, m.claimed_by, m.claimed_at, m.claim_expires_at, "
            + "m.idempotency_key, m.meta, m.payload, m.channel, m.max_age_seconds, m.delivery_status, "
            + "m.resolved_to_agent, m.created_at";
    private static final String INSERT = "INSERT INTO messages (from_agent, to_target, kind, subject, body, "
            + "reply_to, thread_id, claimable, idempotency_key, meta, payload, channel, max_age_seconds, delivery_status, "
            + "resolved_to_agent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * The partial indexes on waiting messages ({@code messages_queued}, {@code messages_expiry}) say
     * {@code delivery_status = 'queued'}; a query says it with the same literal, as a bound
     * parameter would keep SQLite (and PostgreSQL's generic plans) from using them.
     */
    private static final String IS_QUEUED = "m.delivery_status = 'queued'";

    private final Sql sql;

    MessageSql(Sql sql) {
        this.sql = sql;
    }

    Optional<Message> message(long id) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m WHERE m.id = ?", List.of(id),
                rs -> row(rs, false)).stream().findFirst();
    }

    Optional<Message> byIdempotencyKey(String from, String idempotencyKey) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m WHERE m.from_agent = ? AND m.idempotency_key = ?",
                List.of(from, idempotencyKey), rs -> row(rs, false)).stream().findFirst();
    }

    /**
     * The SQL form of {@link Audience#receives(Message)}: keep the two in step. One branch per
     * target of the audience (a message has one target, so no two branches share a row), and one
     * for what a {@code policy:}/{@code pool:} target was resolved to the agent (those targets are
     * never in an audience). Each branch reads its index in id order and stops at the page's size:
     * with one {@code to_target IN (...)} branch the database read and sorted every matching row
     * after {@code since} before it kept a page (docs/performance.md, "Ninth session"). An agent
     * has at most 131 targets (its id, broadcast, 64 tags, 64 capabilities, a label): 132 branches,
     * within SQLite's 500 terms of a compound SELECT.
     */
    List<Message> inbox(Audience audience, MessageQuery page) {
        StringBuilder text = new StringBuilder("SELECT * FROM (");
        List<Object> args = new ArrayList<>();
        int branch = 0;
        for (String target : audience.targets()) {
            inboxBranch(text, args, audience, page, target, branch++);
            text.append(" UNION ALL ");
        }
        inboxBranch(text, args, audience, page, null, branch);
        text.append(") inbox ORDER BY id LIMIT ?");
        args.add(page.limit());
        return sql.query(text.toString(), args, rs -> row(rs, true));
    }

    /** The messages sent to {@code target}, or resolved to the agent when {@code target} is null. */
    private static void inboxBranch(StringBuilder text, List<Object> args, Audience audience, MessageQuery page,
                                    String target, int branch) {
        text.append("SELECT * FROM (SELECT " + COLUMNS + ", r.read_at FROM messages m LEFT JOIN message_reads r "
                + "ON r.message_id = m.id AND r.agent_id = ? WHERE ");
        args.add(audience.agentId());
        if (target == null) {
            text.append("m.resolved_to_agent = ?");
            args.add(audience.agentId());
        } else {
            text.append("m.to_target = ?");
            args.add(target);
            if (!target.equals(audience.agentId())) {
                // What the agent sent to a group it is in is not in its own inbox.
                text.append(" AND m.from_agent <> ?");
                args.add(audience.agentId());
            }
        }
        text.append(" AND m.delivery_status = ? AND m.id > ?");
        args.add(DeliveryStatus.DELIVERED.wire());
        args.add(page.since());
        appendFilters(text, args, page);
        if (page.unreadOnly()) {
            text.append(" AND r.read_at IS NULL");
        }
        text.append(" ORDER BY m.id LIMIT ?) b").append(branch);
        args.add(page.limit());
    }

    /** One branch of "reaches the audience", delivered messages only. */
    private static void reaches(StringBuilder text, List<Object> args, Audience audience, boolean resolved) {
        if (resolved) {
            text.append("m.resolved_to_agent = ?");
            args.add(audience.agentId());
        } else {
            text.append("m.to_target IN (");
            Sql.appendPlaceholders(text, args, audience.targets());
            text.append(") AND (m.from_agent <> ? OR m.to_target = ?)");
            args.add(audience.agentId());
            args.add(audience.agentId());
        }
        text.append(" AND m.delivery_status = ?");
        args.add(DeliveryStatus.DELIVERED.wire());
    }

    List<Message> recent(MessageQuery page) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM messages m WHERE m.id > ?");
        List<Object> args = new ArrayList<>();
        args.add(page.since());
        if (page.before() > 0) {
            text.append(" AND m.id < ?");
            args.add(page.before());
        }
        appendFilters(text, args, page);
        text.append(" ORDER BY m.id DESC LIMIT ?");
        args.add(page.limit());
        return sql.query(text.toString(), args, rs -> row(rs, false));
    }

    long cursor(Audience audience) {
        long cursor = 0;
        for (boolean resolved : new boolean[] {false, true}) {
            StringBuilder text = new StringBuilder("SELECT MAX(m.id) FROM messages m WHERE ");
            List<Object> args = new ArrayList<>();
            reaches(text, args, audience, resolved);
            cursor = Math.max(cursor, sql.query(text.toString(), args, rs -> rs.getLong(1)).get(0));
        }
        return cursor;
    }

    /** The messages waiting for {@code target}, oldest first, with id above {@code after}. */
    List<Message> queued(String target, long after, int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m WHERE m.to_target = ? AND " + IS_QUEUED
                + " AND m.id > ? ORDER BY m.id LIMIT ?", List.of(target, after, limit), rs -> row(rs, false));
    }

    /** The targets that have messages waiting, in no particular order. */
    List<String> queuedTargets() {
        return sql.query("SELECT DISTINCT m.to_target FROM messages m WHERE " + IS_QUEUED, List.of(),
                rs -> rs.getString(1));
    }

    /** The id of the last message of {@code target} resolved to {@code agentId}, or 0. */
    long lastResolved(String agentId, String target) {
        return sql.query("SELECT MAX(m.id) FROM messages m WHERE m.resolved_to_agent = ? AND m.to_target = ?",
                List.of(agentId, target), rs -> rs.getLong(1)).get(0);
    }

    /** Delivers a queued message to one agent; false when it is no longer queued (another node did). */
    boolean resolve(long messageId, String agentId) {
        return sql.update("UPDATE messages SET delivery_status = ?, resolved_to_agent = ? WHERE id = ? "
                + "AND delivery_status = ?", List.of(DeliveryStatus.DELIVERED.wire(), agentId, messageId,
                DeliveryStatus.QUEUED.wire())) > 0;
    }

    /** Queued messages whose {@code maxAgeSeconds} ran out at or before {@code now}, oldest first. */
    List<Message> queuedToExpire(long now, int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m WHERE " + IS_QUEUED
                + " AND m.max_age_seconds IS NOT NULL AND m.created_at + m.max_age_seconds * CAST(1000 AS BIGINT) <= ? "
                + "ORDER BY m.id LIMIT ?", List.of(now, limit), rs -> row(rs, false));
    }

    /** Ends a queued message's wait; false when it is no longer queued. */
    boolean expire(long messageId) {
        return sql.update("UPDATE messages SET delivery_status = ? WHERE id = ? AND delivery_status = ?",
                List.of(DeliveryStatus.EXPIRED.wire(), messageId, DeliveryStatus.QUEUED.wire())) > 0;
    }

    List<Message> thread(long threadId) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m WHERE m.id = ? OR m.thread_id = ? ORDER BY m.id",
                List.of(threadId, threadId), rs -> row(rs, false));
    }

    List<Reads.ReadMark> readMarks(long messageId) {
        return sql.query("SELECT agent_id, read_at FROM message_reads WHERE message_id = ? ORDER BY read_at, agent_id",
                List.of(messageId), rs -> new Reads.ReadMark(rs.getString("agent_id"), rs.getLong("read_at")));
    }

    Message insert(NewMessage m) {
        return inserted(m, sql.insertReturningId(INSERT + " RETURNING id", values(m)));
    }

    Optional<Message> insertOnce(NewMessage m) {
        return sql.insertOnce(INSERT + " ON CONFLICT (from_agent, idempotency_key) WHERE idempotency_key IS NOT NULL "
                + "DO NOTHING RETURNING id", values(m)).map(id -> inserted(m, id));
    }

    boolean claim(long messageId, String holder, long now, long expiresAt) {
        return sql.update("UPDATE messages SET claimed_by = ?, claimed_at = ?, claim_expires_at = ? "
                        + "WHERE id = ? AND claimable = 1 AND (claimed_by IS NULL OR claimed_by = ? "
                        + "OR claim_expires_at IS NULL OR claim_expires_at <= ?)",
                List.of(holder, now, expiresAt, messageId, holder, now)) > 0;
    }

    void updateClaim(long messageId, String holder, Long claimedAt, Long expiresAt) {
        sql.update("UPDATE messages SET claimed_by = ?, claimed_at = ?, claim_expires_at = ? WHERE id = ?",
                Arrays.asList(holder, claimedAt, expiresAt, messageId));
    }

    boolean markRead(long messageId, String agentId, long at) {
        return sql.update("INSERT INTO message_reads (message_id, agent_id, read_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (message_id, agent_id) DO NOTHING", List.of(messageId, agentId, at)) > 0;
    }

    boolean delete(long id) {
        sql.update("DELETE FROM message_reads WHERE message_id = ?", List.of(id));
        return sql.update("DELETE FROM messages WHERE id = ?", List.of(id)) > 0;
    }

    List<Message> claimsToRelease(long now) {
        return sql.query("SELECT " + COLUMNS + " FROM messages m LEFT JOIN agents a ON a.id = m.claimed_by "
                        + "WHERE m.claimed_by IS NOT NULL AND (m.claim_expires_at <= ? OR a.id IS NULL OR a.status = ?) "
                        + "ORDER BY m.id",
                List.of(now, AgentStatus.OFFLINE.wire()), rs -> row(rs, false));
    }

    /** Deletes the oldest messages (and their read marks) created before {@code cutoff}, at most {@code batch}. */
    long pruneBefore(long cutoff, int batch) {
        long lastOld = sql.lastOfOldestPrefix("messages", "created_at", cutoff, batch);
        if (lastOld == 0) {
            return 0;
        }
        sql.update("DELETE FROM message_reads WHERE message_id <= ?", List.of(lastOld));
        return sql.update("DELETE FROM messages WHERE id <= ?", List.of(lastOld));
    }

    private static List<Object> values(NewMessage m) {
        return Arrays.asList(m.from(), m.to(), m.kind().wire(), m.subject(), m.body(), m.replyTo(), m.threadId(),
                m.claimable() ? 1 : 0, m.idempotencyKey(), JsonColumns.write(m.meta()),
                JsonColumns.write(m.payload()), m.channel(), m.maxAgeSeconds(), m.deliveryStatus().wire(),
                m.resolvedToAgent(), m.createdAt());
    }

    private static Message inserted(NewMessage m, long id) {
        return new Message(id, m.from(), m.to(), m.kind(), m.subject(), m.body(), m.replyTo(),
                m.threadId() == null ? id : m.threadId(), m.claimable(), null, null, null, m.idempotencyKey(),
                m.meta(), m.payload(), m.channel(), m.maxAgeSeconds(), m.deliveryStatus(), m.resolvedToAgent(), m.createdAt(),
                null);
    }

    private static void appendFilters(StringBuilder text, List<Object> args, MessageQuery page) {
        if (page.channel() != null) {
            text.append(" AND m.channel = ?");
            args.add(page.channel());
        }
        if (page.kind() != null) {
            text.append(" AND m.kind = ?");
            args.add(page.kind().wire());
        }
    }

    static Message row(ResultSet rs, boolean withRead) throws SQLException {
        long id = rs.getLong("id");
        long threadId = rs.getLong("thread_id");
        return new Message(
                id,
                rs.getString("from_agent"),
                rs.getString("to_target"),
                Wire.find(MessageKind.class, rs.getString("kind")),
                rs.getString("subject"),
                rs.getString("body"),
                Sql.nullableLong(rs, "reply_to"),
                threadId == 0 ? id : threadId,
                rs.getInt("claimable") != 0,
                rs.getString("claimed_by"),
                Sql.nullableLong(rs, "claimed_at"),
                Sql.nullableLong(rs, "claim_expires_at"),
                rs.getString("idempotency_key"),
                JsonColumns.object(rs.getString("meta")),
                JsonColumns.object(rs.getString("payload")),
                rs.getString("channel"),
                Sql.nullableInt(rs, "max_age_seconds"),
                Wire.find(DeliveryStatus.class, rs.getString("delivery_status")),
                rs.getString("resolved_to_agent"),
                rs.getLong("created_at"),
                withRead ? rs.getObject("read_at") != null : null);
    }
}
