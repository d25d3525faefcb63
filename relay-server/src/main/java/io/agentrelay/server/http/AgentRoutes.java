package io.agentrelay.server.http;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.agents.PatchAgent;
import io.agentrelay.server.agents.RegisterAgent;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.messages.AgentAction;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.store.AgentQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code /api/agents}: registration, presence, actions. */
final class AgentRoutes implements Routes {
    /** The largest page of {@code GET /api/agents?limit=}. */
    static final int MAX_PAGE = 1000;

    private final AgentService agents;
    private final MessageService messages;

    AgentRoutes(AgentService agents, MessageService messages) {
        this.agents = agents;
        this.messages = messages;
    }

    @Override
    public void register(Api api) {
        api.post("/api/agents", this::register)
                .get("/api/agents", this::list)
                .get("/api/agents/:id", this::get)
                .patch("/api/agents/:id", this::patch)
                .post("/api/agents/:id/heartbeat", this::heartbeat)
                .post("/api/agents/:id/actions", this::action)
                .delete("/api/agents/:id", this::delete);
    }

    private CompletionStage<Reply> register(Request request) {
        JsonBody body = request.json();
        RegisterAgent command = new RegisterAgent(body.string("id"), body.string("name"),
                body.choice("kind", AgentKind.class), body.choice("status", AgentStatus.class), body.bool("ready"),
                body.string("label"), body.has("label") || body.presentAsNull("label"), body.strings("tags"),
                body.strings("capabilities"), body.string("machine"), body.string("instanceId"), body.object("meta"),
                Boolean.TRUE.equals(body.bool("replace")));
        return agents.register(command).thenApply(r -> new Reply(r.created() ? 201 : 200, r.agent()));
    }

    private CompletionStage<Reply> list(Request request) {
        // Unpaged unless a limit is given, as the TypeScript server's clients expect every agent.
        int limit = (int) Params.integer("limit", request.query("limit"), 0, 1, MAX_PAGE);
        AgentQuery query = new AgentQuery(Params.choice("status", request.query("status"), AgentStatus.class),
                Params.choice("kind", request.query("kind"), AgentKind.class),
                emptyToNull(request.query("tag")), emptyToNull(request.query("cap")),
                emptyToNull(request.query("after")), limit);
        return agents.list(query).thenApply(list -> Reply.ok(limit == 0 ? Map.of("agents", list) : page(list, limit)));
    }

    /** A page, with the id to pass as {@code after} for the next one, or null when this one is the last. */
    private static Map<String, Object> page(List<AgentCard> agents, int limit) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("agents", agents);
        page.put("nextAfter", agents.size() == limit ? agents.get(agents.size() - 1).id() : null);
        return page;
    }

    private CompletionStage<Reply> get(Request request) {
        return agents.get(request.path("id")).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> patch(Request request) {
        JsonBody body = request.json();
        PatchAgent patch = new PatchAgent(body.choice("status", AgentStatus.class), body.bool("ready"),
                body.string("label"), body.has("label") || body.presentAsNull("label"), body.strings("tags"),
                body.strings("capabilities"), body.object("meta"));
        return agents.patch(request.path("id"), patch, Guards.of(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> heartbeat(Request request) {
        return agents.heartbeat(request.path("id"), Guards.of(request), request.json().choice("status", AgentStatus.class))
                .thenApply(agent -> Reply.ok(Map.of("ok", true, "status", agent.status(), "epoch", agent.epoch())));
    }

    private CompletionStage<Reply> action(Request request) {
        JsonBody body = request.json();
        AgentAction action = body.choice("action", AgentAction.class);
        if (action == null) {
            throw new RelayError.InvalidInput("action", "is required (restart|shutdown)");
        }
        String requestedBy = Require.optionalText("requestedBy", body.string("requestedBy"), AgentAction.MAX_REQUESTED_BY);
        return messages.control(request.path("id"), action,
                        requestedBy == null || requestedBy.isBlank() ? AgentAction.DASHBOARD : requestedBy.strip())
                .thenApply(sent -> Reply.created(sent.message()));
    }

    private CompletionStage<Reply> delete(Request request) {
        return agents.delete(request.path("id")).thenApply(v -> Reply.ok(Map.of("ok", true)));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
