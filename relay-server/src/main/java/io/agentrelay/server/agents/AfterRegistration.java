package io.agentrelay.server.agents;

import io.agentrelay.api.AgentCard;
import io.agentrelay.server.store.Tx;

/**
 * What else a registration changes, in the registration's own transaction (a spawn policy whose
 * agent this is becomes {@code running}). Given to {@link AgentService} by whoever wires the
 * relay, so that agents need not know the features that watch them.
 */
@FunctionalInterface
public interface AfterRegistration {
    AfterRegistration NOTHING = (tx, agent, now) -> { };

    void registered(Tx tx, AgentCard agent, long now);
}
