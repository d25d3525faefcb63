package io.agentrelay.client;

import io.agentrelay.api.AgentStatus;
import java.util.List;
import java.util.Map;

/**
 * A partial update of an agent's card ({@code PATCH /api/agents/:id}); null parts are left as
 * they are. Start from {@link #NONE}: {@code AgentPatch.NONE.withStatus(AgentStatus.BUSY)}.
 */
public record AgentPatch(AgentStatus status, Boolean ready, String label, List<String> tags,
                         List<String> capabilities, Map<String, Object> meta) {
    public static final AgentPatch NONE = new AgentPatch(null, null, null, null, null, null);

    public AgentPatch withStatus(AgentStatus value) {
        return new AgentPatch(value, ready, label, tags, capabilities, meta);
    }

    public AgentPatch withReady(boolean value) {
        return new AgentPatch(status, value, label, tags, capabilities, meta);
    }

    /** A new label; the empty string removes it. */
    public AgentPatch withLabel(String value) {
        return new AgentPatch(status, ready, value, tags, capabilities, meta);
    }

    public AgentPatch withTags(List<String> value) {
        return new AgentPatch(status, ready, label, List.copyOf(value), capabilities, meta);
    }

    public AgentPatch withCapabilities(List<String> value) {
        return new AgentPatch(status, ready, label, tags, List.copyOf(value), meta);
    }

    public AgentPatch withMeta(Map<String, Object> value) {
        return new AgentPatch(status, ready, label, tags, capabilities, Map.copyOf(value));
    }

    Map<String, Object> body() {
        return Transport.body("status", status, "ready", ready, "label", label, "tags", tags,
                "capabilities", capabilities, "meta", meta);
    }
}
