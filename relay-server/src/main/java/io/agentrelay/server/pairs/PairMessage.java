package io.agentrelay.server.pairs;

import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.messages.SendMessage;
import java.util.Map;

/**
 * {@code POST /api/pairs/:id/messages}: a member ({@code from}) writes to the other. Without
 * {@code replyTo} the message answers the invitation, so the whole conversation is one thread;
 * with it, {@code replyTo} must be a message of that thread. The body's size is bounded by the
 * request limit, as a message's is.
 */
public record PairMessage(String from, String body, String subject, Long replyTo, Map<String, Object> meta,
                          SessionGuard guard) {
    public PairMessage {
        Require.agentId("from", from);
        if (body == null) {
            throw new RelayError.InvalidInput("body", "is required");
        }
        Require.optionalText("subject", subject, SendMessage.MAX_SUBJECT);
        if (replyTo != null && replyTo <= 0) {
            throw new RelayError.InvalidInput("replyTo", "must be a positive message id");
        }
        meta = meta == null ? Map.of() : meta;
        guard = guard == null ? SessionGuard.NONE : guard;
    }
}
