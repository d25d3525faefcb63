package io.agentrelay.client;

import io.agentrelay.api.MessageKind;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Messages#send} sends. {@code from}, {@code to} (an agent id, {@code tag:x},
 * {@code cap:x}, {@code label:x} or {@code broadcast}) and {@code body} are required; build one
 * with {@link #builder(String, String, String)}.
 */
public record SendMessage(
        String from,
        String to,
        String body,
        MessageKind kind,
        String subject,
        Long replyTo,
        boolean claimable,
        String idempotencyKey,
        Map<String, Object> meta,
        Map<String, Object> payload,
        String channel,
        Integer maxAgeSeconds,
        SessionGuard guard) {

    public SendMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
        meta = meta == null ? Map.of() : Map.copyOf(meta);
        payload = payload == null ? Map.of() : Map.copyOf(payload);
        guard = guard == null ? SessionGuard.NONE : guard;
    }

    public static Builder builder(String from, String to, String body) {
        return new Builder(from, to, body);
    }

    Map<String, Object> requestBody() {
        return Transport.body("from", from, "to", to, "body", body, "kind", kind, "subject", subject,
                "replyTo", replyTo, "claimable", claimable ? Boolean.TRUE : null, "idempotencyKey", idempotencyKey,
                "meta", meta.isEmpty() ? null : meta, "payload", payload.isEmpty() ? null : payload,
                "channel", channel, "maxAgeSeconds", maxAgeSeconds,
                "instanceId", guard.instanceId(), "epoch", guard.epoch());
    }

    /** Collects the optional fields of a {@link SendMessage}. Not thread-safe; build, then share. */
    public static final class Builder {
        private final String from;
        private final String to;
        private final String body;
        private MessageKind kind;
        private String subject;
        private Long replyTo;
        private boolean claimable;
        private String idempotencyKey;
        private Map<String, Object> meta = Map.of();
        private Map<String, Object> payload = Map.of();
        private String channel;
        private Integer maxAgeSeconds;
        private SessionGuard guard = SessionGuard.NONE;

        private Builder(String from, String to, String body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        /** chat (the default), task, control, ... */
        public Builder kind(MessageKind value) {
            this.kind = value;
            return this;
        }

        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        /** Makes this a reply in the thread of message {@code messageId}. */
        public Builder replyTo(long messageId) {
            this.replyTo = messageId;
            return this;
        }

        /** Claimable work: exactly one recipient can claim it. */
        public Builder claimable(boolean value) {
            this.claimable = value;
            return this;
        }

        /** Sending again with the same key (from the same sender) returns the first message instead. */
        public Builder idempotencyKey(String value) {
            this.idempotencyKey = value;
            return this;
        }

        public Builder meta(Map<String, Object> value) {
            this.meta = value;
            return this;
        }

        public Builder payload(Map<String, Object> value) {
            this.payload = value;
            return this;
        }

        public Builder channel(String value) {
            this.channel = value;
            return this;
        }

        public Builder maxAgeSeconds(int value) {
            this.maxAgeSeconds = value;
            return this;
        }

        /** The sender's session guard; a stale session is refused with 409. */
        public Builder guard(SessionGuard value) {
            this.guard = value;
            return this;
        }

        public SendMessage build() {
            return new SendMessage(from, to, body, kind, subject, replyTo, claimable, idempotencyKey, meta, payload,
                    channel, maxAgeSeconds, guard);
        }
    }
}
