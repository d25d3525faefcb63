package io.agentrelay.client;

import io.agentrelay.api.AgentCard;

/**
 * The answer to a registration.
 *
 * @param agent the card as stored, with its {@code epoch}
 * @param created true when the id was new to the relay (201), false for an update (200)
 */
public record Registered(AgentCard agent, boolean created) {
}
