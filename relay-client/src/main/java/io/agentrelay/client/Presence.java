package io.agentrelay.client;

import io.agentrelay.api.AgentStatus;

/**
 * The answer to a heartbeat: the agent's status after it and its current session epoch.
 */
public record Presence(AgentStatus status, long epoch) {
}
