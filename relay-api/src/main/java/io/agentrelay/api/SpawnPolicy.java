package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A spawn policy: how to start one managed agent, kept as the value of the config entry
 * {@code spawn-policy/<name>}. The relay checks every value written there (see the API docs for
 * the limits); absent optional fields are left out of the stored value.
 *
 * @param cwd            the folder the agent works in (absolute POSIX path), or null for the
 *                       orchestrator's base folder
 * @param permissionMode what the provider session may do without asking
 * @param pool           the pool the agent is a member of ({@code pool:<name>} targets), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpawnPolicy(
        String name,
        String orchestratorId,
        Provider provider,
        String cwd,
        String label,
        List<String> tags,
        List<String> capabilities,
        ApprovalMode permissionMode,
        List<String> providerArgs,
        String prompt,
        String pool) {

    public SpawnPolicy {
        tags = tags == null ? List.of() : List.copyOf(tags);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        providerArgs = providerArgs == null ? List.of() : List.copyOf(providerArgs);
        permissionMode = permissionMode == null ? ApprovalMode.GUARDED : permissionMode;
    }
}
