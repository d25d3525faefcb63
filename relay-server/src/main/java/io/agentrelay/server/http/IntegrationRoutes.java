package io.agentrelay.server.http;

import io.agentrelay.api.Severity;
import io.agentrelay.server.config.Integration;
import io.agentrelay.server.config.IntegrationScope;
import io.agentrelay.server.config.Integrations;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.tasks.IntegrationEvent;
import io.agentrelay.server.tasks.TaskService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/integrations}: events from integrations (integration token, see {@link IntegrationGate}),
 * the configured integrations (never their tokens) and their callback deliveries.
 */
final class IntegrationRoutes implements Routes {
    static final int MAX_DELIVERIES = 200;

    private final TaskService tasks;

    IntegrationRoutes(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public void register(Api api) {
        api.post(IntegrationGate.EVENTS_PATH, this::event)
                .get("/api/integrations", this::list)
                .get("/api/integrations/:name/deliveries", this::deliveries);
    }

    private CompletionStage<Reply> event(Request request) {
        Integration integration = IntegrationGate.of(request);
        JsonBody body = request.json();
        String target = body.string("target");
        IntegrationEvent event = new IntegrationEvent(target == null ? null : Require.target("target", target),
                body.string("channel"), body.string("dedupeKey"), body.string("title"), body.string("body"),
                body.choice("severity", Severity.class), body.string("externalUrl"), body.object("metadata"),
                body.choice("status", IntegrationEvent.Status.class));
        return tasks.ingest(integration, event).thenApply(ingested -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("task", ingested.task());
            reply.put("created", ingested.created());
            return new Reply(ingested.created() ? 201 : 200, reply);
        });
    }

    /** The integrations as configured, without tokens or secrets. */
    record IntegrationView(String name, List<String> scopes, List<String> targets, List<String> channels,
                           String callbackUrl, boolean signed) {
        static IntegrationView of(Integration integration) {
            return new IntegrationView(integration.name(),
                    integration.scopes().stream().map(IntegrationScope::wire).sorted().toList(),
                    integration.targets(), integration.channels(),
                    integration.callbackUrl() == null ? null : integration.callbackUrl().toString(),
                    integration.secret() != null);
        }
    }

    private CompletionStage<Reply> list(Request request) {
        Integrations integrations = tasks.integrations();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("integrations", integrations.all().stream().map(IntegrationView::of).toList());
        body.put("rateLimitPerMinute", integrations.ratePerMinute());
        body.put("callbackMaxAttempts", integrations.callbackMaxAttempts());
        body.put("allowPrivateCallbacks", integrations.allowPrivateCallbacks());
        return CompletableFuture.completedFuture(Reply.ok(body));
    }

    private CompletionStage<Reply> deliveries(Request request) {
        long before = Params.integer("before", request.query("before"), 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.integer("limit", request.query("limit"), 50, 1, MAX_DELIVERIES);
        return tasks.deliveries(request.path("name"), before, limit)
                .thenApply(list -> Reply.ok(Map.of("deliveries", list)));
    }
}
