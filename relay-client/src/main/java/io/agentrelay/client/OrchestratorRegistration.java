package io.agentrelay.client;

import io.agentrelay.api.Provider;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Orchestrators#register} sends: the orchestrator's whole record (registering again
 * replaces it; the relay keeps its managed agents and {@code createdAt}). Start from
 * {@link #of(String, String, String)}; null parts take the relay's defaults: both providers, no
 * environment keys, empty meta, no API URL, inbox agent {@code orchestrator-<id>}.
 *
 * @param baseDir the folder every session must work in: an absolute POSIX path on the orchestrator's host
 * @param envKeys names (never values) of the environment variables it passes to sessions
 * @param apiUrl  its own HTTP API, for people to read; the relay does not call it
 * @param agentId its inbox agent, where its commands are addressed
 */
public record OrchestratorRegistration(String id, String hostname, String baseDir, List<Provider> providers,
                                       List<String> envKeys, Map<String, Object> meta, String apiUrl, String agentId) {
    public OrchestratorRegistration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(baseDir, "baseDir");
        providers = providers == null ? null : List.copyOf(providers);
        envKeys = envKeys == null ? null : List.copyOf(envKeys);
        meta = meta == null ? null : Map.copyOf(meta);
    }

    public static OrchestratorRegistration of(String id, String hostname, String baseDir) {
        return new OrchestratorRegistration(id, hostname, baseDir, null, null, null, null, null);
    }

    public OrchestratorRegistration withProviders(Provider... value) {
        return new OrchestratorRegistration(id, hostname, baseDir, List.of(value), envKeys, meta, apiUrl, agentId);
    }

    public OrchestratorRegistration withEnvKeys(String... value) {
        return new OrchestratorRegistration(id, hostname, baseDir, providers, List.of(value), meta, apiUrl, agentId);
    }

    public OrchestratorRegistration withMeta(Map<String, Object> value) {
        return new OrchestratorRegistration(id, hostname, baseDir, providers, envKeys, value, apiUrl, agentId);
    }

    public OrchestratorRegistration withApiUrl(String value) {
        return new OrchestratorRegistration(id, hostname, baseDir, providers, envKeys, meta, value, agentId);
    }

    public OrchestratorRegistration withAgentId(String value) {
        return new OrchestratorRegistration(id, hostname, baseDir, providers, envKeys, meta, apiUrl, value);
    }

    Map<String, Object> body() {
        return Transport.body("id", id, "hostname", hostname, "baseDir", baseDir, "providers", providers,
                "envKeys", envKeys, "meta", meta, "apiUrl", apiUrl, "agentId", agentId);
    }
}
