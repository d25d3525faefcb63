package io.agentrelay.server.store;

import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.MessageKind;
import java.util.Map;

/**
 * A message to insert; the store assigns its id. {@code resolvedToAgent} names the one agent a
 * {@code policy:}/{@code pool:} message was delivered to, null otherwise (and while it is queued).
 */
public record NewMessage(
        String from,
        String to,
        MessageKind kind,
        String subject,
        String body,
        Long replyTo,
        Long threadId,
        boolean claimable,
        String idempotencyKey,
        Map<String, Object> meta,
        Map<String, Object> payload,
        String channel,
        Integer maxAgeSeconds,
        DeliveryStatus deliveryStatus,
        String resolvedToAgent,
        long createdAt) {
}
