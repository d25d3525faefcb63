package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ConnectorActionResult;
import io.agentrelay.server.connectors.ActionName;
import io.agentrelay.server.connectors.ConnectorService;
import io.agentrelay.server.connectors.RegisterConnector;
import io.agentrelay.server.errors.Parsed;
import io.agentrelay.server.errors.RelayError;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/connectors}: list, register (a description: a manifest that says what runs is
 * refused), one connector, run one of its installed actions (200 when it exited 0, else 502 with
 * its result) and its config (masked when read). The TypeScript server's texts are kept.
 */
final class ConnectorRoutes implements Routes {
    static final String OBJECT_REQUIRED = "JSON object body required";
    static final String CONFIG_NOT_OBJECT = "connector config must be an object";

    private final ConnectorService connectors;

    ConnectorRoutes(ConnectorService connectors) {
        this.connectors = connectors;
    }

    @Override
    public void register(Api api) {
        api.get("/api/connectors", this::list)
                .post("/api/connectors", this::register)
                .get("/api/connectors/:id", this::get)
                .post("/api/connectors/:id/actions", this::action)
                .get("/api/connectors/:id/config", this::config)
                .put("/api/connectors/:id/config", this::putConfig);
    }

    private CompletionStage<Reply> list(Request request) {
        return connectors.list().thenApply(Reply::ok);
    }

    private CompletionStage<Reply> register(Request request) {
        JsonBody body = request.jsonObject(OBJECT_REQUIRED);
        JsonNode nested = body.tree("manifest");
        boolean isNested = nested != null && nested.isObject();
        JsonBody manifest = isNested ? body.nested("manifest", "must be a JSON object") : body;
        String prefix = isNested ? "manifest." : "";
        ConnectorService.refusePrograms(manifest.root(), prefix);
        JsonNode config = objectOrNull(body, "config");
        JsonNode state = objectOrNull(body, "state");
        RegisterConnector command = new RegisterConnector(manifest.string("id"), manifest.string("name"),
                manifest.string("description"), manifest.string("version"), manifest.string("channelType"),
                config, state);
        return connectors.register(command).thenApply(Reply::created);
    }

    private CompletionStage<Reply> get(Request request) {
        return connectors.get(request.path("id")).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> action(Request request) {
        JsonBody body = request.jsonObject(OBJECT_REQUIRED);
        ActionName action = body.choice("action", ActionName.class);
        if (action == null) {
            throw new RelayError.InvalidInput("action", "is required (one of "
                    + io.agentrelay.api.Wire.choices(ActionName.class) + ")");
        }
        return connectors.run(request.path("id"), action).thenApply(ConnectorRoutes::result);
    }

    private static Reply result(ConnectorActionResult result) {
        return result.ok() ? Reply.ok(result) : Reply.badGateway(result);
    }

    private CompletionStage<Reply> config(Request request) {
        return connectors.config(request.path("id")).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> putConfig(Request request) {
        Parsed<JsonNode> config = Parsed.of(() -> request.jsonObject(CONFIG_NOT_OBJECT).root());
        return connectors.putConfig(request.path("id"), config).thenApply(Reply::ok);
    }

    private static JsonNode objectOrNull(JsonBody body, String field) {
        JsonNode value = body.tree(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new RelayError.InvalidInput(field, "must be a JSON object");
        }
        return value;
    }
}
