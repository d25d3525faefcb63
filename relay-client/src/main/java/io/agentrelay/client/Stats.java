package io.agentrelay.client;

/** {@code GET /api/stats}: sizes and the newest event id of the relay. */
public record Stats(String version, String instanceId, long uptimeMs, long agents, long agentsOnline, long messages,
                    long claimedMessages, long events, long lastEventId, int streams) {
}
