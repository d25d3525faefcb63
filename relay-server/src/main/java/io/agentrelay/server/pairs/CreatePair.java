package io.agentrelay.server.pairs;

import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * {@code POST /api/pairs}: {@code from} invites {@code to}. The invitation stays pending for
 * {@code ttlSeconds} (default {@link #DEFAULT_TTL_SECONDS}, at most {@link #MAX_TTL_SECONDS}).
 */
public record CreatePair(String from, String to, String topic, String body, Integer ttlSeconds,
                         Map<String, Object> meta, SessionGuard guard) {
    public static final int MAX_TOPIC = 200;
    public static final int MAX_BODY = 10_000;
    public static final int DEFAULT_TTL_SECONDS = 600;
    public static final int MAX_TTL_SECONDS = 86_400;

    public CreatePair {
        Require.agentId("from", from);
        Require.agentId("to", to);
        if (from.equals(to)) {
            throw new RelayError.InvalidInput("to", "must be another agent than from");
        }
        topic = topic == null || topic.isBlank() ? null : Require.optionalText("topic", topic.strip(), MAX_TOPIC);
        Require.optionalText("body", body, MAX_BODY);
        ttlSeconds = ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
        Require.range("ttlSeconds", ttlSeconds, 1, MAX_TTL_SECONDS);
        meta = meta == null ? Map.of() : meta;
        guard = guard == null ? SessionGuard.NONE : guard;
    }
}
