package io.agentrelay.server.agents;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.errors.Require;
import java.util.List;
import java.util.Map;

/** {@code POST /api/agents}: create or replace an agent's registration. */
public record RegisterAgent(
        String id,
        String name,
        AgentKind kind,
        AgentStatus status,
        Boolean ready,
        String label,
        List<String> tags,
        List<String> capabilities,
        String machine,
        String instanceId,
        Map<String, Object> meta) {

    public static final int MAX_NAME = 200;
    public static final int MAX_LABEL = 120;
    public static final int MAX_NAMES = 64;
    public static final int MAX_NAME_ENTRY = 120;

    public RegisterAgent {
        Require.agentId("id", id);
        Require.text("name", name, MAX_NAME);
        kind = kind == null ? AgentKind.PROVIDER : kind;
        status = status == null ? AgentStatus.ONLINE : status;
        label = labelOf(label);
        tags = Require.names("tags", tags, MAX_NAMES, MAX_NAME_ENTRY);
        capabilities = Require.names("capabilities", capabilities, MAX_NAMES, MAX_NAME_ENTRY);
        Require.optionalText("machine", machine, MAX_NAME);
        Require.optionalText("instanceId", instanceId, MAX_NAME);
        meta = meta == null ? Map.of() : meta;
    }

    static String labelOf(String label) {
        return Require.label("label", label, MAX_LABEL);
    }
}
