package io.agentrelay.server.http;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.orchestrators.Providers;
import io.agentrelay.server.policies.PolicyDefinition;
import io.agentrelay.server.policies.PolicyService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/spawn-policies} and {@code /api/spawn-policy/:name}: spawn policies (config entries
 * of the namespace {@code spawn-policy}) and their managed agents — list, read, write, delete,
 * start, stop, restart, status. Starting, stopping, restarting and deleting answer 202 with the
 * command made for the orchestrator.
 */
final class SpawnPolicyRoutes implements Routes {
    static final String BODY_REQUIRED = "JSON object body required";

    private final PolicyService policies;

    SpawnPolicyRoutes(PolicyService policies) {
        this.policies = policies;
    }

    @Override
    public void register(Api api) {
        api.get("/api/spawn-policies", this::list)
                .get("/api/spawn-policies/health", this::list)
                .get("/api/spawn-policy/:name/status", this::status)
                .get("/api/spawn-policy/:name/health", this::status)
                .post("/api/spawn-policy/:name/start", this::start)
                .post("/api/spawn-policy/:name/stop", this::stop)
                .post("/api/spawn-policy/:name/restart", this::restart)
                .get("/api/spawn-policy/:name", this::get)
                .put("/api/spawn-policy/:name", this::put)
                .delete("/api/spawn-policy/:name", this::delete);
    }

    /**
     * The one reading of a policy value, for this route and {@code PUT /api/config/spawn-policy/:name}:
     * {@code policy}'s fields into a {@link PolicyDefinition}, whose constructor holds the rules.
     * Errors name the fields as the body has them ({@code value.cwd …}).
     */
    static PolicyDefinition definition(String name, JsonBody policy, String field) {
        return new PolicyDefinition(field, name, policy.string("name"), policy.string("orchestratorId"),
                Providers.one(policy.at("provider"), policy.string("provider")), policy.string("cwd"),
                policy.string("label"), policy.strings("tags"), policy.strings("capabilities"),
                policy.choice("permissionMode", ApprovalMode.class), policy.strings("providerArgs"),
                policy.string("prompt"), policy.string("pool"));
    }

    private CompletionStage<Reply> list(Request request) {
        return policies.list().thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return policies.get(name(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> status(Request request) {
        return policies.status(name(request)).thenApply(Reply::ok);
    }

    /** {@code {value, updatedBy?}}, or the bare policy object when the body has no {@code value}. */
    private CompletionStage<Reply> put(Request request) {
        String name = name(request);
        JsonBody body = request.jsonObject(BODY_REQUIRED);
        PolicyDefinition definition;
        String updatedBy = null;
        if (body.tree("value") != null) {
            JsonBody value = body.nested("value", "must be a JSON object (the policy)");
            definition = definition(name, value, "value.");
            updatedBy = body.string("updatedBy");
        } else {
            definition = definition(name, body, "");
        }
        // 201 when the policy got its first version, as the config store answers.
        return policies.put(definition, updatedBy)
                .thenApply(entry -> entry.version() == 1 ? Reply.created(entry) : Reply.ok(entry));
    }

    private CompletionStage<Reply> delete(Request request) {
        return policies.delete(name(request), request.query("updatedBy")).thenApply(SpawnPolicyRoutes::accepted);
    }

    private CompletionStage<Reply> start(Request request) {
        return policies.start(name(request)).thenApply(SpawnPolicyRoutes::accepted);
    }

    private CompletionStage<Reply> stop(Request request) {
        return policies.stop(name(request)).thenApply(SpawnPolicyRoutes::accepted);
    }

    private CompletionStage<Reply> restart(Request request) {
        return policies.restart(name(request)).thenApply(SpawnPolicyRoutes::accepted);
    }

    /** A name that cannot be a policy's is one no policy has: 404, as for any unknown name. */
    private static String name(Request request) {
        String name = request.path("name");
        try {
            return PolicyDefinition.name(name);
        } catch (RelayError.InvalidInput invalid) {
            throw new RelayError.NotFound("spawn policy not found");
        }
    }

    /** 202: the command is made; the orchestrator carries it out later. */
    private static Reply accepted(Command command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("command", command);
        return Reply.accepted(body);
    }
}
