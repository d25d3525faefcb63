package io.agentrelay.server.store;

import java.util.Map;

/** A pair to insert, {@code pending}; the store assigns its id. */
public record NewPair(String from, String to, String topic, String body, Map<String, Object> meta, long createdAt,
                      long expiresAt) {
}
