package io.agentrelay.client;

import io.agentrelay.api.PairStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which pairs {@link Pairs#list(PairFilter)} returns, newest first; null parts do not filter.
 * {@code agentId} matches either member; {@code limit} is 1..500, 0 for the relay's default of
 * 100. Start from {@link #ALL}: {@code PairFilter.ALL.withAgent("alice").withStatus(PairStatus.ACTIVE)}.
 */
public record PairFilter(String agentId, PairStatus status, int limit) {
    public static final PairFilter ALL = new PairFilter(null, null, 0);

    public PairFilter withAgent(String value) {
        return new PairFilter(value, status, limit);
    }

    public PairFilter withStatus(PairStatus value) {
        return new PairFilter(agentId, value, limit);
    }

    public PairFilter withLimit(int value) {
        return new PairFilter(agentId, status, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("agentId", agentId);
        query.put("status", status == null ? null : status.wire());
        query.put("limit", limit > 0 ? limit : null);
        return query;
    }
}
