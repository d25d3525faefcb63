package io.agentrelay.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Provider;
import io.agentrelay.api.SpawnPolicy;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.RegisterAgent;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.orchestrators.PosixPath;
import io.agentrelay.server.orchestrators.RegisterOrchestrator;
import io.agentrelay.server.orchestrators.SpawnAgent;
import java.util.List;

/**
 * A spawn policy as a client wrote it, checked: the one rule for every value written to
 * {@code spawn-policy/<name>}, whichever route writes it ({@code PUT /api/spawn-policy/:name} or
 * {@code PUT /api/config/spawn-policy/:name}). {@code field} is how errors name the value's fields
 * ({@code value.} for a {@code {value: …}} body, empty for a bare policy object). The limits are
 * those of a spawn request, since starting the policy makes one.
 *
 * <p>{@code name}: the key (the path's name); a value that names another is refused.
 * {@code orchestratorId} and {@code provider} are required; {@code cwd}, when given, an absolute
 * POSIX path, stored normalised (whether it lies inside the orchestrator's base folder is checked
 * at each start, since the orchestrator may register again with another). {@code pool}: the pool
 * the agent joins, a name as in a {@code pool:<name>} target.
 */
public record PolicyDefinition(String field, String pathName, String name, String orchestratorId, Provider provider,
                               String cwd, String label, List<String> tags, List<String> capabilities,
                               ApprovalMode permissionMode, List<String> providerArgs, String prompt, String pool) {
    public static final int MAX_NAME = SpawnAgent.MAX_POLICY_NAME;
    public static final int MAX_ORCHESTRATOR_ID = RegisterOrchestrator.MAX_ID;
    public static final int MAX_POOL = 120;

    public PolicyDefinition {
        field = field == null ? "" : field;
        pathName = name(pathName);
        if (name != null && !name.equals(pathName)) {
            throw new RelayError.InvalidInput(field + "name", "must be the policy's name in the path ('" + pathName + "')");
        }
        name = pathName;
        orchestratorId = Require.text(field + "orchestratorId", orchestratorId, MAX_ORCHESTRATOR_ID);
        if (provider == null) {
            throw new RelayError.InvalidInput(field + "provider", "is required (claude or codex)");
        }
        cwd = cwd(field + "cwd", cwd);
        label = Require.label(field + "label", label, SpawnAgent.MAX_LABEL);
        tags = Require.names(field + "tags", tags, RegisterAgent.MAX_NAMES, RegisterAgent.MAX_NAME_ENTRY);
        capabilities = Require.names(field + "capabilities", capabilities, RegisterAgent.MAX_NAMES,
                RegisterAgent.MAX_NAME_ENTRY);
        permissionMode = permissionMode == null ? ApprovalMode.GUARDED : permissionMode;
        providerArgs = SpawnAgent.providerArgs(field + "providerArgs", providerArgs);
        Require.optionalText(field + "prompt", prompt, SpawnAgent.MAX_PROMPT);
        prompt = prompt == null || prompt.isEmpty() ? null : prompt;
        pool = pool == null || pool.isEmpty() ? null : targetName(field + "pool", pool, MAX_POOL);
    }

    /**
     * A policy's name: it is a config key (one URL path segment) and the name in a
     * {@code policy:<name>} target, so at most {@value #MAX_NAME} characters without whitespace,
     * {@code /} or control characters.
     */
    public static String name(String name) {
        Require.pathName("name", name, MAX_NAME);
        return targetName("name", name, MAX_NAME);
    }

    /** The policy as stored and returned. */
    public SpawnPolicy policy() {
        return new SpawnPolicy(name, orchestratorId, provider, cwd, label, tags, capabilities, permissionMode,
                providerArgs, prompt, pool);
    }

    /** The policy as the config entry's value. */
    public JsonNode value() {
        return Json.mapper().valueToTree(policy());
    }

    private static String cwd(String field, String cwd) {
        if (cwd == null || cwd.isEmpty()) {
            return null;
        }
        Require.optionalText(field, cwd, RegisterOrchestrator.MAX_PATH);
        if (!PosixPath.absolute(cwd) || !Require.isValidUnicode(cwd) || cwd.chars().anyMatch(Character::isISOControl)) {
            throw new RelayError.InvalidInput(field, "must be an absolute POSIX path (starting with /)");
        }
        return PosixPath.normalize(cwd);
    }

    private static String targetName(String field, String name, int max) {
        Require.optionalText(field, name, max);
        if (name.isBlank() || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new RelayError.InvalidInput(field, "must be a name without whitespace or control characters");
        }
        try {
            Target.parse("pool:" + name);
        } catch (IllegalArgumentException e) {
            throw new RelayError.InvalidInput(field, e.getMessage());
        }
        return name;
    }
}
