package io.agentrelay.api;

import java.util.Map;

/**
 * A unit of work raised by an integration (an alert, a failed pipeline, a ticket). While it is
 * active, further events with the same {@code dedupeKey} from the same integration only count
 * occurrences. {@code messageId} is the claimable {@code task} message that announced it.
 */
public record Task(
        long id,
        String integration,
        String target,
        String channel,
        String dedupeKey,
        String title,
        String body,
        Severity severity,
        String externalUrl,
        Map<String, Object> metadata,
        TaskStatus status,
        String claimedBy,
        Long claimedAt,
        String progress,
        String result,
        Long messageId,
        int occurrenceCount,
        long createdAt,
        long updatedAt,
        long lastSeenAt,
        Long closedAt) {

    public Task {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** The same task after a change of status, holder, progress or result at {@code at}. */
    public Task moved(TaskStatus newStatus, String holder, Long holderSince, String newProgress, String newResult,
                      long at) {
        return new Task(id, integration, target, channel, dedupeKey, title, body, severity, externalUrl, metadata,
                newStatus, holder, holderSince, newProgress, newResult, messageId, occurrenceCount, createdAt, at,
                lastSeenAt, newStatus.active() ? null : at);
    }

    /** The same task seen once more at {@code at} (a repeated event with its dedupe key). */
    public Task seenAgain(long at) {
        return new Task(id, integration, target, channel, dedupeKey, title, body, severity, externalUrl, metadata,
                status, claimedBy, claimedAt, progress, result, messageId, occurrenceCount + 1, createdAt, at, at,
                closedAt);
    }

    /** The same task linked to the message that announced it. */
    public Task withMessage(long announcedBy) {
        return new Task(id, integration, target, channel, dedupeKey, title, body, severity, externalUrl, metadata,
                status, claimedBy, claimedAt, progress, result, announcedBy, occurrenceCount, createdAt, updatedAt,
                lastSeenAt, closedAt);
    }
}
