package io.agentrelay.api;

import java.util.List;
import java.util.Map;

/**
 * An agent as the relay knows it. Times are epoch milliseconds. {@code epoch} increases each time
 * the agent registers with a different {@code instanceId}, so a stale process can be told apart
 * from the current one (the session guard).
 */
public record AgentCard(
        String id,
        String name,
        AgentKind kind,
        String label,
        List<String> tags,
        List<String> capabilities,
        AgentStatus status,
        boolean ready,
        String machine,
        String instanceId,
        long epoch,
        Map<String, Object> meta,
        long createdAt,
        long updatedAt,
        long lastSeenAt) {

    public AgentCard {
        tags = List.copyOf(tags);
        capabilities = List.copyOf(capabilities);
        meta = meta == null ? Map.of() : meta;
    }
}
