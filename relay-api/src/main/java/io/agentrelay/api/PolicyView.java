package io.agentrelay.api;

/** A spawn policy with its managed-agent state: the answer of the list and status routes. */
public record PolicyView(SpawnPolicy policy, PolicyState state) {
}
