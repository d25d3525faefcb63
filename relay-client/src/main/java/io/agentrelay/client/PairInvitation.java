package io.agentrelay.client;

import java.util.Map;
import java.util.Objects;

/**
 * An invitation for {@link Pairs#invite}: {@code from} asks {@code to} to pair. Optional parts are
 * null: {@code topic} (≤ 200 characters), {@code body} (the invitation's text, ≤ 10,000),
 * {@code ttlSeconds} (1..86,400; the relay's default is 600), {@code meta}, and the inviter's
 * session {@code guard}. Start from {@link #of}: {@code PairInvitation.of("alice", "bob").withTopic("login bug")}.
 */
public record PairInvitation(String from, String to, String topic, String body, Integer ttlSeconds,
                             Map<String, Object> meta, SessionGuard guard) {

    public PairInvitation {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        guard = guard == null ? SessionGuard.NONE : guard;
    }

    public static PairInvitation of(String from, String to) {
        return new PairInvitation(from, to, null, null, null, null, null);
    }

    public PairInvitation withTopic(String value) {
        return new PairInvitation(from, to, value, body, ttlSeconds, meta, guard);
    }

    public PairInvitation withBody(String value) {
        return new PairInvitation(from, to, topic, value, ttlSeconds, meta, guard);
    }

    public PairInvitation withTtlSeconds(int value) {
        return new PairInvitation(from, to, topic, body, value, meta, guard);
    }

    public PairInvitation withMeta(Map<String, Object> value) {
        return new PairInvitation(from, to, topic, body, ttlSeconds, value, guard);
    }

    public PairInvitation withGuard(SessionGuard value) {
        return new PairInvitation(from, to, topic, body, ttlSeconds, meta, value);
    }

    Map<String, Object> requestBody() {
        return Transport.body("from", from, "to", to, "topic", topic, "body", body, "ttlSeconds", ttlSeconds,
                "meta", meta, "instanceId", guard.instanceId(), "epoch", guard.epoch());
    }
}
