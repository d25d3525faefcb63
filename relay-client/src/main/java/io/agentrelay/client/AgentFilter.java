package io.agentrelay.client;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which agents {@link Agents#list(AgentFilter)} returns; null parts do not filter. Start from
 * {@link #ALL}: {@code AgentFilter.ALL.withStatus(AgentStatus.ONLINE).withCapability("review")}.
 */
public record AgentFilter(AgentStatus status, AgentKind kind, String tag, String capability) {
    public static final AgentFilter ALL = new AgentFilter(null, null, null, null);

    public AgentFilter withStatus(AgentStatus value) {
        return new AgentFilter(value, kind, tag, capability);
    }

    public AgentFilter withKind(AgentKind value) {
        return new AgentFilter(status, value, tag, capability);
    }

    public AgentFilter withTag(String value) {
        return new AgentFilter(status, kind, value, capability);
    }

    public AgentFilter withCapability(String value) {
        return new AgentFilter(status, kind, tag, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", status == null ? null : status.wire());
        query.put("kind", kind == null ? null : kind.wire());
        query.put("tag", tag);
        query.put("cap", capability);
        return query;
    }
}
