package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.configstore.ConfigKey;
import io.agentrelay.server.configstore.ConfigService;
import io.agentrelay.server.configstore.DeleteConfig;
import io.agentrelay.server.configstore.PutConfig;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.policies.PolicyService;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/config}: the versioned config store — a namespace's keys, one key (read, write,
 * delete) and its history; and, ours, the list of namespaces. History is registered before the key
 * route, as the TypeScript server orders them. A value written to the namespace {@code spawn-policy}
 * must be a spawn policy ({@link SpawnPolicyRoutes#definition}).
 */
final class ConfigRoutes implements Routes {
    static final int DEFAULT_HISTORY_LIMIT = 50;
    static final int MAX_HISTORY_LIMIT = 500;

    private final ConfigService config;

    ConfigRoutes(ConfigService config) {
        this.config = config;
    }

    @Override
    public void register(Api api) {
        api.get("/api/config", this::namespaces)
                .get("/api/config/:namespace", this::list)
                .get("/api/config/:namespace/:key/history", this::history)
                .get("/api/config/:namespace/:key", this::get)
                .put("/api/config/:namespace/:key", this::put)
                .delete("/api/config/:namespace/:key", this::delete);
    }

    private CompletionStage<Reply> namespaces(Request request) {
        return config.namespaces().thenApply(Reply::ok);
    }

    private CompletionStage<Reply> list(Request request) {
        return config.list(ConfigKey.namespace(request.path("namespace"))).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return config.get(key(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> put(Request request) {
        ConfigKey key = key(request);
        JsonBody body = request.jsonObject("JSON object body required");
        JsonNode value = body.tree("value");
        if (PolicyService.NAMESPACE.equals(key.namespace()) && value != null) {
            // A spawn policy is checked by one rule whichever route writes it.
            value = SpawnPolicyRoutes.definition(key.key(), body.nested("value", "must be a JSON object (the policy)"),
                    "value.").value();
        }
        PutConfig command = new PutConfig(key, value, body.string("updatedBy"), body.integer("ifVersion"));
        // 201 when the key got its first version, 200 for every later write (a re-created key included).
        return config.put(command).thenApply(entry -> entry.version() == 1 ? Reply.created(entry) : Reply.ok(entry));
    }

    private CompletionStage<Reply> delete(Request request) {
        ConfigKey key = key(request);
        String ifVersion = request.query("ifVersion");
        DeleteConfig command = new DeleteConfig(key, request.query("updatedBy"), ifVersion == null || ifVersion.isEmpty()
                ? null : Params.integer("ifVersion", ifVersion, 0, 0, Long.MAX_VALUE));
        return config.delete(command).thenApply(version -> Reply.ok(Map.of("ok", true)));
    }

    private CompletionStage<Reply> history(Request request) {
        ConfigKey key = key(request);
        long before = Params.integer("before", request.query("before"), 0, 0, Long.MAX_VALUE);
        return config.history(key, before, limit(request.query("limit"))).thenApply(Reply::ok);
    }

    /** The TypeScript server's one text for a {@code limit} that is not a number or out of range. */
    private static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_HISTORY_LIMIT;
        }
        Long value = Params.wholeNumber(raw);
        if (value == null || value < 1 || value > MAX_HISTORY_LIMIT) {
            throw new RelayError.InvalidInput("limit", "must be an integer between 1 and " + MAX_HISTORY_LIMIT);
        }
        return value.intValue();
    }

    private static ConfigKey key(Request request) {
        return new ConfigKey(request.path("namespace"), request.path("key"));
    }
}
