package io.agentrelay.client;

import io.agentrelay.api.TaskStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which tasks {@link Tasks#list(TaskFilter)} returns, newest first; null parts do not filter.
 * {@code target} is compared in canonical form ({@code TAG:ops} finds {@code tag:ops}); {@code before}
 * (a task id, 0 for none) pages back through older tasks; {@code limit} is 1..500, 0 for the
 * relay's default of 100. Start from {@link #ALL}:
 * {@code TaskFilter.ALL.withStatus(TaskStatus.OPEN).withTarget("tag:oncall")}.
 */
public record TaskFilter(TaskStatus status, String target, String channel, String integration, long before,
                         int limit) {
    public static final TaskFilter ALL = new TaskFilter(null, null, null, null, 0, 0);

    public TaskFilter withStatus(TaskStatus value) {
        return new TaskFilter(value, target, channel, integration, before, limit);
    }

    public TaskFilter withTarget(String value) {
        return new TaskFilter(status, value, channel, integration, before, limit);
    }

    public TaskFilter withChannel(String value) {
        return new TaskFilter(status, target, value, integration, before, limit);
    }

    public TaskFilter withIntegration(String value) {
        return new TaskFilter(status, target, channel, value, before, limit);
    }

    public TaskFilter withBefore(long value) {
        return new TaskFilter(status, target, channel, integration, value, limit);
    }

    public TaskFilter withLimit(int value) {
        return new TaskFilter(status, target, channel, integration, before, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", status == null ? null : status.wire());
        query.put("target", target);
        query.put("channel", channel);
        query.put("integration", integration);
        query.put("before", before > 0 ? before : null);
        query.put("limit", limit > 0 ? limit : null);
        return query;
    }
}
