package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Message;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The writes, in SQL that SQLite and PostgreSQL both accept. Owned by the writer thread; collects
 * the events appended by the current unit of work so the writer can publish them after commit, or
 * drop them when the work is rolled back.
 */
final class JdbcTx extends JdbcReads implements Tx {
    private final List<Event> appended = new ArrayList<>();

    JdbcTx(Statements statements) {
        super(statements);
    }

    /** The events appended since the last call, handing them over to the caller. */
    List<Event> takeEvents() {
        List<Event> events = List.copyOf(appended);
        appended.clear();
        return events;
    }

    @Override
    public void saveAgent(AgentCard agent) {
        update("INSERT INTO agents (" + AGENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                        + "label = excluded.label, tags = excluded.tags, capabilities = excluded.capabilities, "
                        + "status = excluded.status, ready = excluded.ready, machine = excluded.machine, "
                        + "instance_id = excluded.instance_id, epoch = excluded.epoch, meta = excluded.meta, "
                        + "updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at",
                Arrays.asList(agent.id(), agent.name(), agent.kind().wire(), agent.label(),
                        JsonColumns.write(agent.tags()), JsonColumns.write(agent.capabilities()),
                        agent.status().wire(), agent.ready() ? 1 : 0, agent.machine(), agent.instanceId(),
                        agent.epoch(), JsonColumns.write(agent.meta()), agent.createdAt(), agent.updatedAt(),
                        agent.lastSeenAt()));
    }

    @Override
    public boolean deleteAgent(String id) {
        update("DELETE FROM message_reads WHERE agent_id = ?", List.of(id));
        return update("DELETE FROM agents WHERE id = ?", List.of(id)) > 0;
    }

    @Override
    public Message insertMessage(NewMessage m) {
        long id = query("INSERT INTO messages (from_agent, to_target, kind, subject, body, reply_to, thread_id, "
                        + "claimable, idempotency_key, meta, payload, channel, max_age_seconds, delivery_status, "
                        + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Arrays.asList(m.from(), m.to(), m.kind().wire(), m.subject(), m.body(), m.replyTo(), m.threadId(),
                        m.claimable() ? 1 : 0, m.idempotencyKey(), JsonColumns.write(m.meta()),
                        JsonColumns.write(m.payload()), m.channel(), m.maxAgeSeconds(), m.deliveryStatus().wire(),
                        m.createdAt()),
                rs -> rs.getLong(1)).get(0);
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
        String oldMessages = "SELECT id FROM messages WHERE created_at < ? ORDER BY id LIMIT ?";
        update("DELETE FROM message_reads WHERE message_id IN (" + oldMessages + ")", List.of(cutoff, batch));
        long removed = update("DELETE FROM messages WHERE id IN (" + oldMessages + ")", List.of(cutoff, batch));
        removed += update("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < ? ORDER BY id LIMIT ?)",
                List.of(cutoff, batch));
        return removed;
    }

    @Override
    public Event append(EventType type, Event.Scope scope, Object data, long ts) {
        String json = JsonColumns.write(data);
        long id = query("INSERT INTO events (type, ts, target, agent_id, channel, data) VALUES (?, ?, ?, ?, ?, ?) "
                        + "RETURNING id",
                Arrays.asList(type.wire(), ts, scope.target(), scope.agentId(), scope.channel(), json),
                rs -> rs.getLong(1)).get(0);
        Event event = new Event(id, type, ts, scope, json);
        appended.add(event);
        return event;
    }
}
