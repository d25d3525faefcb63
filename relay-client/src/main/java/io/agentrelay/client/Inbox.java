package io.agentrelay.client;

import io.agentrelay.api.Message;
import java.util.List;

/**
 * One page of an agent's inbox.
 *
 * @param messages oldest first, each with the agent's {@code read} flag
 * @param cursor the {@code since} of the next poll: the last id returned, or the one asked for
 *     when nothing was new
 */
public record Inbox(List<Message> messages, long cursor) {
    public Inbox {
        messages = List.copyOf(messages);
    }
}
