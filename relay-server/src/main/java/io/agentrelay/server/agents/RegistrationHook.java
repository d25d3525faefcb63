package io.agentrelay.server.agents;

import io.agentrelay.api.AgentCard;
import io.agentrelay.server.store.Tx;

/**
 * Work that follows a registration in its own transaction: what waits for the agent (queued
 * {@code policy:}/{@code pool:} messages) is delivered with the registration or not at all.
 */
@FunctionalInterface
public interface RegistrationHook {
    void registered(Tx tx, AgentCard agent, long now);
}
