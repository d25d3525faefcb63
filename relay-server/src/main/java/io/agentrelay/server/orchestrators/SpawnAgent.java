package io.agentrelay.server.orchestrators;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Provider;
import io.agentrelay.server.agents.RegisterAgent;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.messages.AgentAction;
import java.util.List;

/**
 * {@code POST /api/orchestrators/:id/spawn}: start a provider session. What depends on the
 * orchestrator (is it online, does it offer the provider, is {@code cwd} inside its base folder) is
 * checked by the service; the rest here. {@code cwd} null means the orchestrator's base folder.
 */
public record SpawnAgent(Provider provider, String cwd, String label, ApprovalMode approvalMode, String prompt,
                         List<String> tags, List<String> capabilities, List<String> providerArgs, String policyName,
                         String spawnRequestId, String requestedBy) {
    public static final int MAX_LABEL = 120;
    public static final int MAX_PROMPT = 4_000;
    public static final int MAX_POLICY_NAME = 120;
    public static final int MAX_SPAWN_REQUEST_ID = 160;
    public static final int MAX_PROVIDER_ARGS = 100;
    public static final int MAX_PROVIDER_ARG = 1_000;

    public SpawnAgent {
        if (provider == null) {
            throw new RelayError.InvalidInput("provider", "is required (claude or codex)");
        }
        Require.optionalText("cwd", cwd, RegisterOrchestrator.MAX_PATH);
        label = Require.label("label", label, MAX_LABEL);
        approvalMode = approvalMode == null ? ApprovalMode.GUARDED : approvalMode;
        Require.optionalText("prompt", prompt, MAX_PROMPT);
        tags = Require.names("tags", tags, RegisterAgent.MAX_NAMES, RegisterAgent.MAX_NAME_ENTRY);
        capabilities = Require.names("capabilities", capabilities, RegisterAgent.MAX_NAMES, RegisterAgent.MAX_NAME_ENTRY);
        providerArgs = providerArgs("providerArgs", providerArgs);
        Require.optionalText("policyName", policyName, MAX_POLICY_NAME);
        Require.optionalText("spawnRequestId", spawnRequestId, MAX_SPAWN_REQUEST_ID);
        requestedBy = requestedBy(requestedBy);
    }

    /** Provider arguments: at most {@value #MAX_PROVIDER_ARGS}, each at most {@value #MAX_PROVIDER_ARG} characters. */
    public static List<String> providerArgs(String field, List<String> args) {
        if (args == null) {
            return List.of();
        }
        if (args.size() > MAX_PROVIDER_ARGS) {
            throw new RelayError.InvalidInput(field, "must have at most " + MAX_PROVIDER_ARGS + " entries");
        }
        for (String arg : args) {
            if (arg.length() > MAX_PROVIDER_ARG) {
                throw new RelayError.InvalidInput(field, "entries must be at most " + MAX_PROVIDER_ARG
                        + " characters");
            }
        }
        return List.copyOf(args);
    }

    /** Who asked, for the command's params: the TypeScript server's {@code dashboard} unless given. */
    static String requestedBy(String value) {
        Require.optionalText("requestedBy", value, AgentAction.MAX_REQUESTED_BY);
        return value == null || value.isBlank() ? AgentAction.DASHBOARD : value.strip();
    }
}
