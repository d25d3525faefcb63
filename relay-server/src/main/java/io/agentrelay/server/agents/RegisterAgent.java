package io.agentrelay.server.agents;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.errors.Require;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/agents}: create an agent, or register it again. A field that is absent (null
 * here) keeps its current value on re-registration — so a client that registers without flags
 * does not wipe the capabilities, tags or label someone gave the agent — and takes its default for
 * a new agent. {@code replace} makes absent fields take their defaults anyway: the whole card is
 * the request. {@code labelGiven} tells a label cleared ({@code null} or {@code ""}) from one not
 * mentioned. {@code status} defaults to online either way: registering is coming online.
 */
public record RegisterAgent(
        String id,
        String name,
        AgentKind kind,
        AgentStatus status,
        Boolean ready,
        String label,
        boolean labelGiven,
        List<String> tags,
        List<String> capabilities,
        String machine,
        String instanceId,
        Map<String, Object> meta,
        boolean replace) {

    public static final int MAX_NAME = 200;
    public static final int MAX_LABEL = 120;
    public static final int MAX_NAMES = 64;
    public static final int MAX_NAME_ENTRY = 120;

    public RegisterAgent {
        Require.agentId("id", id);
        Require.text("name", name, MAX_NAME);
        status = status == null ? AgentStatus.ONLINE : status;
        label = labelOf(label);
        tags = tags == null ? null : Require.names("tags", tags, MAX_NAMES, MAX_NAME_ENTRY);
        capabilities = capabilities == null ? null
                : Require.names("capabilities", capabilities, MAX_NAMES, MAX_NAME_ENTRY);
        Require.optionalText("machine", machine, MAX_NAME);
        Require.optionalText("instanceId", instanceId, MAX_NAME);
    }

    static String labelOf(String label) {
        return Require.label("label", label, MAX_LABEL);
    }
}
