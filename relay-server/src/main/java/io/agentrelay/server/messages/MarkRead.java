package io.agentrelay.server.messages;

import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.List;

/**
 * {@code POST /api/messages/read} and {@code POST /api/messages/:id/read}: mark messages read for
 * one agent, either the listed {@code ids} or every unread message of its inbox up to {@code upTo};
 * exactly one of the two.
 */
public record MarkRead(String agentId, List<Long> ids, Long upTo) {
    public static final int MAX_IDS = 500;

    public MarkRead {
        Require.agentId("agentId", agentId);
        if ((ids == null) == (upTo == null)) {
            throw new RelayError.InvalidInput("ids", "or upTo is required (exactly one of them)");
        }
        if (ids != null) {
            if (ids.size() > MAX_IDS) {
                throw new RelayError.InvalidInput("ids", "must have at most " + MAX_IDS + " entries");
            }
            ids = List.copyOf(ids);
        }
    }

    /** One message, by id. */
    public static MarkRead one(String agentId, long id) {
        return new MarkRead(agentId, List.of(id), null);
    }
}
