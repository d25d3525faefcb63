package io.agentrelay.server.store;

import io.agentrelay.api.MessageKind;

/**
 * A page of messages. {@code since}: only ids above it (inbox); {@code before}: only ids below it
 * (recent, 0 = no bound). {@code unreadOnly} applies to inbox views only.
 */
public record MessageQuery(long since, long before, int limit, String channel, MessageKind kind,
                           boolean unreadOnly) {
}
