package io.agentrelay.client;

import io.agentrelay.api.CommandStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which commands {@link Commands#list(CommandFilter)} returns, newest first; null parts do not
 * filter. {@code target} is an executor's agent id; {@code limit} is 1..500, 0 for the relay's
 * default of 100. Start from {@link #ALL}: {@code CommandFilter.ALL.withTarget("orchestrator-build-1")}.
 */
public record CommandFilter(String target, CommandStatus status, int limit) {
    public static final CommandFilter ALL = new CommandFilter(null, null, 0);

    public CommandFilter withTarget(String value) {
        return new CommandFilter(value, status, limit);
    }

    public CommandFilter withStatus(CommandStatus value) {
        return new CommandFilter(target, value, limit);
    }

    public CommandFilter withLimit(int value) {
        return new CommandFilter(target, status, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("target", target);
        query.put("status", status == null ? null : status.wire());
        query.put("limit", limit > 0 ? limit : null);
        return query;
    }
}
