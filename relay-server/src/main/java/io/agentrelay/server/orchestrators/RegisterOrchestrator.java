package io.agentrelay.server.orchestrators;

import io.agentrelay.api.Provider;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/orchestrators}: register an orchestrator, or register it again (the request
 * replaces what was registered; its managed agents and {@code createdAt} are kept). {@code baseDir}
 * is stored normalised; {@code agentId} defaults to {@code orchestrator-<id>}.
 */
public record RegisterOrchestrator(String id, String hostname, String baseDir, List<Provider> providers,
                                   List<String> envKeys, Map<String, Object> meta, String apiUrl, String agentId) {
    public static final int MAX_ID = 120;
    public static final int MAX_HOSTNAME = 120;
    public static final int MAX_PATH = 500;
    public static final int MAX_ENV_KEYS = 100;
    public static final int MAX_ENV_KEY = 200;
    public static final int MAX_URL = 2_000;
    /** The inbox agent of an orchestrator registered without {@code agentId}: this, then its id. */
    public static final String AGENT_PREFIX = "orchestrator-";

    public RegisterOrchestrator {
        Require.text("id", id, MAX_ID);
        Require.agentId("id", id);
        Require.text("hostname", hostname, MAX_HOSTNAME);
        baseDir = absolutePath("baseDir", baseDir);
        providers = providers == null ? Providers.ALL : List.copyOf(providers);
        envKeys = Require.names("envKeys", envKeys, MAX_ENV_KEYS, MAX_ENV_KEY);
        meta = meta == null ? Map.of() : meta;
        if (apiUrl != null) {
            Require.text("apiUrl", apiUrl, MAX_URL);
            webUrl(apiUrl);
        }
        agentId = agentId == null ? AGENT_PREFIX + id : Require.agentId("agentId", agentId);
    }

    /** A required absolute POSIX path, normalised. */
    static String absolutePath(String field, String path) {
        Require.text(field, path, MAX_PATH);
        if (!PosixPath.absolute(path)) {
            throw new RelayError.InvalidInput(field, "must be an absolute path (starting with /), got '" + path + "'");
        }
        return PosixPath.normalize(path);
    }

    private static void webUrl(String raw) {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw new RelayError.InvalidInput("apiUrl", "must be an http:// or https:// URL");
    }
}
