package io.agentrelay.client;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Provider;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Orchestrators#spawn} asks for: a provider session. Start from {@link #of(Provider)};
 * null parts take the relay's defaults ({@code cwd}: the orchestrator's base folder, which it must
 * lie inside; {@code approvalMode}: guarded; {@code requestedBy}: dashboard).
 *
 * @param spawnRequestId the caller's id for this request; it becomes the command's {@code correlationId}
 */
public record SpawnRequest(Provider provider, String cwd, String label, ApprovalMode approvalMode, String prompt,
                           List<String> tags, List<String> capabilities, List<String> providerArgs,
                           String policyName, String spawnRequestId, String requestedBy) {
    public SpawnRequest {
        Objects.requireNonNull(provider, "provider");
        tags = tags == null ? null : List.copyOf(tags);
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
        providerArgs = providerArgs == null ? null : List.copyOf(providerArgs);
    }

    public static SpawnRequest of(Provider provider) {
        return new SpawnRequest(provider, null, null, null, null, null, null, null, null, null, null);
    }

    public SpawnRequest withCwd(String value) {
        return new SpawnRequest(provider, value, label, approvalMode, prompt, tags, capabilities, providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withLabel(String value) {
        return new SpawnRequest(provider, cwd, value, approvalMode, prompt, tags, capabilities, providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withApprovalMode(ApprovalMode value) {
        return new SpawnRequest(provider, cwd, label, value, prompt, tags, capabilities, providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withPrompt(String value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, value, tags, capabilities, providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withTags(String... value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, List.of(value), capabilities, providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withCapabilities(String... value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, tags, List.of(value), providerArgs,
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withProviderArgs(String... value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, tags, capabilities, List.of(value),
                policyName, spawnRequestId, requestedBy);
    }

    public SpawnRequest withPolicyName(String value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, tags, capabilities, providerArgs,
                value, spawnRequestId, requestedBy);
    }

    public SpawnRequest withSpawnRequestId(String value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, tags, capabilities, providerArgs,
                policyName, value, requestedBy);
    }

    public SpawnRequest withRequestedBy(String value) {
        return new SpawnRequest(provider, cwd, label, approvalMode, prompt, tags, capabilities, providerArgs,
                policyName, spawnRequestId, value);
    }

    Map<String, Object> body() {
        return Transport.body("provider", provider, "cwd", cwd, "label", label, "approvalMode", approvalMode,
                "prompt", prompt, "tags", tags, "capabilities", capabilities, "providerArgs", providerArgs,
                "policyName", policyName, "spawnRequestId", spawnRequestId, "requestedBy", requestedBy);
    }
}
