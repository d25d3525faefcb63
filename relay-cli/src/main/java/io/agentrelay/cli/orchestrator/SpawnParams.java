package io.agentrelay.cli.orchestrator;

import java.util.List;
import java.util.Map;

/**
 * What an {@code agent.spawn} command asks for (its {@code params}, as the relay wrote them: see
 * docs/api.md, "Orchestrators"). Values the relay validated are checked again here, where they
 * are used: this host decides what runs on it.
 */
public record SpawnParams(String provider, String cwd, String label, List<String> tags, List<String> capabilities,
                           String approvalMode, String prompt, List<String> providerArgs, String policyName,
                           String spawnRequestId, String pool) {
    public SpawnParams {
        tags = tags == null ? List.of() : List.copyOf(tags);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        providerArgs = providerArgs == null ? List.of() : List.copyOf(providerArgs);
        approvalMode = approvalMode == null ? "guarded" : approvalMode;
        if (!List.of("open", "guarded", "read-only").contains(approvalMode)) {
            throw new IllegalArgumentException("approvalMode must be one of open, guarded, read-only, got '" + approvalMode + "'");
        }
    }

    /** The request in a command's {@code params}; wrong types are refused with the field's name. */
    public static SpawnParams from(Map<String, ?> params) {
        return new SpawnParams(text(params, "provider"), text(params, "cwd"), text(params, "label"),
                texts(params, "tags"), texts(params, "capabilities"), text(params, "approvalMode"),
                text(params, "prompt"), texts(params, "providerArgs"), text(params, "policyName"),
                text(params, "spawnRequestId"), text(params, "pool"));
    }

    private static String text(Map<String, ?> params, String field) {
        Object value = params.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new IllegalArgumentException(field + " must be a string");
    }

    private static List<String> texts(Map<String, ?> params, String field) {
        Object value = params.get(field);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException(field + " must be a list of strings");
    }
}
