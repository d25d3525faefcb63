package io.agentrelay.api;

import java.util.Map;

/**
 * Two agents working together: {@code from} invited {@code to}, who accepts or rejects; either
 * member ends an active pair. Pair messages ({@code kind:"pair"}) go between the two while it is
 * active and thread under the invitation message ({@code messageId}). Times are epoch
 * milliseconds.
 *
 * @param topic      what the pair is about, or null
 * @param body       the invitation's text, or null
 * @param reason     why it was rejected or ended (the member's words), or null
 * @param closedBy   the member who rejected or ended it; null while open and when it expired
 * @param messageId  the invitation message, the root of the pair's thread
 * @param expiresAt  when a pending pair expires if the invitee has not answered
 * @param acceptedAt when the invitee accepted, or null
 * @param closedAt   when it was rejected, ended or expired, or null while open
 */
public record Pair(
        long id,
        String from,
        String to,
        String topic,
        String body,
        Map<String, Object> meta,
        PairStatus status,
        String reason,
        String closedBy,
        Long messageId,
        long createdAt,
        long updatedAt,
        long expiresAt,
        Long acceptedAt,
        Long closedAt) {

    public Pair {
        meta = meta == null ? Map.of() : meta;
    }

    /** Whether {@code agentId} is one of the two members. */
    public boolean hasMember(String agentId) {
        return from.equals(agentId) || to.equals(agentId);
    }

    /** The member that is not {@code agentId}. */
    public String other(String agentId) {
        return from.equals(agentId) ? to : from;
    }

    /** The same pair with its invitation message recorded. */
    public Pair withMessageId(long id) {
        return new Pair(this.id, from, to, topic, body, meta, status, reason, closedBy, id, createdAt, updatedAt,
                expiresAt, acceptedAt, closedAt);
    }

    /** The same pair after a move to {@code newStatus} at {@code at}, made by {@code by} (null: the relay). */
    public Pair moved(PairStatus newStatus, String by, String why, long at) {
        boolean closing = !newStatus.open();
        return new Pair(id, from, to, topic, body, meta, newStatus, closing ? why : reason, closing ? by : closedBy,
                messageId, createdAt, at, expiresAt, newStatus == PairStatus.ACTIVE ? Long.valueOf(at) : acceptedAt,
                closing ? Long.valueOf(at) : closedAt);
    }
}
