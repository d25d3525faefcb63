package io.agentrelay.client;

import io.agentrelay.api.Message;

/**
 * The answer to a send.
 *
 * @param message the message as stored, with its id
 * @param created false when the idempotency key matched an earlier message, which is returned
 */
public record Sent(Message message, boolean created) {
}
