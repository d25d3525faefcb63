package io.agentrelay.server.messages;

import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/** {@code POST /api/messages}. Body size is bounded by the request limit ({@code MAX_BODY_BYTES}). */
public record SendMessage(
        String from,
        Target to,
        MessageKind kind,
        String subject,
        String body,
        Long replyTo,
        boolean claimable,
        String idempotencyKey,
        Map<String, Object> meta,
        Map<String, Object> payload,
        String channel,
        Integer maxAgeSeconds,
        SessionGuard guard) {

    public static final int MAX_SUBJECT = 500;
    public static final int MAX_IDEMPOTENCY_KEY = 240;
    public static final int MAX_CHANNEL = 120;
    public static final int MAX_AGE_SECONDS = 2_592_000;

    /** {@code POST /api/system/broadcast}: a system message from the relay to every agent. */
    public static SendMessage broadcast(String subject, String body) {
        return new SendMessage(MessageService.SYSTEM, Target.Broadcast.INSTANCE, MessageKind.SYSTEM, subject, body,
                null, false, null, Map.of(), Map.of(), null, null, SessionGuard.NONE);
    }

    public SendMessage {
        Require.agentId("from", from);
        if (to == null) {
            throw new RelayError.InvalidInput("to", "is required");
        }
        kind = kind == null ? MessageKind.CHAT : kind;
        Require.optionalText("subject", subject, MAX_SUBJECT);
        if (body == null) {
            throw new RelayError.InvalidInput("body", "is required");
        }
        if (replyTo != null && replyTo <= 0) {
            throw new RelayError.InvalidInput("replyTo", "must be a positive message id");
        }
        if (idempotencyKey != null) {
            if (idempotencyKey.isBlank()) {
                throw new RelayError.InvalidInput("idempotencyKey", "must not be empty when given");
            }
            Require.optionalText("idempotencyKey", idempotencyKey, MAX_IDEMPOTENCY_KEY);
        }
        Require.optionalText("channel", channel, MAX_CHANNEL);
        if (maxAgeSeconds != null) {
            Require.range("maxAgeSeconds", maxAgeSeconds, 0, MAX_AGE_SECONDS);
        }
        meta = meta == null ? Map.of() : meta;
        payload = payload == null ? Map.of() : payload;
        guard = guard == null ? SessionGuard.NONE : guard;
    }
}
