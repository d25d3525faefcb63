package io.agentrelay.server.store;

import io.agentrelay.api.PairStatus;

/** A page of pairs, newest first; {@code agentId} matches either member; a null filter matches everything. */
public record PairQuery(String agentId, PairStatus status, int limit) {
}
