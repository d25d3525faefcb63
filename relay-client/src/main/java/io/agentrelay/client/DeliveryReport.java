package io.agentrelay.client;

import io.agentrelay.api.DeliveryStatus;
import java.util.List;

/**
 * Where a message stands ({@code GET /api/messages/:id/status}): whom its target reaches now, who
 * has read it, who holds its claim.
 */
public record DeliveryReport(long messageId, DeliveryStatus deliveryStatus, String resolvedToAgent, String to,
                             List<String> recipients, List<ReadMark> readBy, String claimedBy, Long claimExpiresAt) {

    public DeliveryReport {
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        readBy = readBy == null ? List.of() : List.copyOf(readBy);
    }

    /** One agent's read marker: who, and when (epoch milliseconds). */
    public record ReadMark(String agentId, long readAt) {
    }
}
