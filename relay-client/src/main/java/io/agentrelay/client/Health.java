package io.agentrelay.client;

/**
 * {@code GET /api/health}: the relay answers, and which process it is. {@code instanceId} changes
 * when the relay restarts.
 */
public record Health(boolean ok, String status, String version, String instanceId, long uptimeMs) {
}
