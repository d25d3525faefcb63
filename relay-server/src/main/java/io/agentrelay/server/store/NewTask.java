package io.agentrelay.server.store;

import io.agentrelay.api.Severity;
import java.util.Map;

/** A task to insert, {@code open}, seen once; the store assigns its id. */
public record NewTask(String integration, String target, String channel, String dedupeKey, String title,
                      String body, Severity severity, String externalUrl, Map<String, Object> metadata,
                      long createdAt) {
}
