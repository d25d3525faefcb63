package io.agentrelay.server.agents;

import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.errors.Require;
import java.util.List;
import java.util.Map;

/**
 * {@code PATCH /api/agents/:id}: change some fields; null leaves a field as it is. A label that is
 * given (as null, or blank) but is no label clears it.
 */
public record PatchAgent(
        AgentStatus status,
        Boolean ready,
        String label,
        boolean labelGiven,
        List<String> tags,
        List<String> capabilities,
        Map<String, Object> meta) {

    public PatchAgent {
        label = RegisterAgent.labelOf(label);
        tags = tags == null ? null : Require.names("tags", tags, RegisterAgent.MAX_NAMES, RegisterAgent.MAX_NAME_ENTRY);
        capabilities = capabilities == null ? null
                : Require.names("capabilities", capabilities, RegisterAgent.MAX_NAMES, RegisterAgent.MAX_NAME_ENTRY);
    }

    /** Whether the patch removes the label. */
    public boolean clearLabel() {
        return labelGiven && label == null;
    }
}
