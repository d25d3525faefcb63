package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A message as stored. {@code threadId} is the id of the first message of its reply chain.
 * {@code read} is present only in views for one agent ({@code ?for=}), because read state is per
 * agent.
 */
public record Message(
        long id,
        String from,
        String to,
        MessageKind kind,
        String subject,
        String body,
        Long replyTo,
        long threadId,
        boolean claimable,
        String claimedBy,
        Long claimedAt,
        Long claimExpiresAt,
        String idempotencyKey,
        Map<String, Object> meta,
        Map<String, Object> payload,
        String channel,
        Integer maxAgeSeconds,
        DeliveryStatus deliveryStatus,
        String resolvedToAgent,
        long createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean read) {

    public Message {
        meta = meta == null ? Map.of() : meta;
        payload = payload == null ? Map.of() : payload;
    }

    /** The same message as seen by one agent. */
    public Message withRead(boolean isRead) {
        return new Message(id, from, to, kind, subject, body, replyTo, threadId, claimable, claimedBy,
                claimedAt, claimExpiresAt, idempotencyKey, meta, payload, channel, maxAgeSeconds,
                deliveryStatus, resolvedToAgent, createdAt, isRead);
    }

    /** The same message with its claim replaced (all three null to clear it). */
    public Message withClaim(String holder, Long at, Long expiresAt) {
        return new Message(id, from, to, kind, subject, body, replyTo, threadId, claimable, holder,
                at, expiresAt, idempotencyKey, meta, payload, channel, maxAgeSeconds,
                deliveryStatus, resolvedToAgent, createdAt, read);
    }

    /** The same message with its delivery replaced: delivered to one agent, or expired. */
    public Message withDelivery(DeliveryStatus status, String resolvedTo) {
        return new Message(id, from, to, kind, subject, body, replyTo, threadId, claimable, claimedBy,
                claimedAt, claimExpiresAt, idempotencyKey, meta, payload, channel, maxAgeSeconds,
                status, resolvedTo, createdAt, read);
    }
}
