package io.agentrelay.server.http;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.server.errors.Parsed;
import io.agentrelay.server.messages.AgentAction;
import io.agentrelay.server.orchestrators.ActOnAgents;
import io.agentrelay.server.orchestrators.AgentEntry;
import io.agentrelay.server.orchestrators.OrchestratorService;
import io.agentrelay.server.orchestrators.Providers;
import io.agentrelay.server.orchestrators.RegisterOrchestrator;
import io.agentrelay.server.orchestrators.ReportAgents;
import io.agentrelay.server.orchestrators.SpawnAgent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/orchestrators}: the registry (register, list, heartbeat, managed agents, delete) and
 * the spawn and restart/shutdown requests, each answered with the command it made. The TypeScript
 * server's texts for a body that is not an object ({@code body required}) are kept here. The
 * spawn, actions and agents bodies are parsed into {@link Parsed} requests: the service answers 404
 * for an unknown orchestrator before their 400s, as the TypeScript server does.
 */
final class OrchestratorRoutes implements Routes {
    static final String BODY_REQUIRED = "body required";

    private final OrchestratorService orchestrators;

    OrchestratorRoutes(OrchestratorService orchestrators) {
        this.orchestrators = orchestrators;
    }

    @Override
    public void register(Api api) {
        api.post("/api/orchestrators", this::register)
                .get("/api/orchestrators", this::list)
                .get("/api/orchestrators/:id", this::get)
                .post("/api/orchestrators/:id/heartbeat", this::heartbeat)
                .patch("/api/orchestrators/:id/agents", this::agents)
                .post("/api/orchestrators/:id/spawn", this::spawn)
                .post("/api/orchestrators/:id/actions", this::action)
                .delete("/api/orchestrators/:id", this::delete);
    }

    private CompletionStage<Reply> register(Request request) {
        JsonBody body = request.json(BODY_REQUIRED);
        RegisterOrchestrator command = new RegisterOrchestrator(body.string("id"), body.string("hostname"),
                body.string("baseDir"), Providers.list("providers", body.strings("providers")), body.strings("envKeys"),
                body.object("meta"), body.string("apiUrl"), body.string("agentId"));
        // 201 on every registration, re-registration included, as the TypeScript server answers.
        return orchestrators.register(command).thenApply(Reply::created);
    }

    private CompletionStage<Reply> list(Request request) {
        return orchestrators.list().thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return orchestrators.get(request.path("id")).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> heartbeat(Request request) {
        return orchestrators.heartbeat(request.path("id")).thenApply(beat -> Reply.ok(Map.of("ok", true)));
    }

    private CompletionStage<Reply> agents(Request request) {
        Parsed<ReportAgents> report = Parsed.of(() -> {
            List<AgentEntry> entries = new ArrayList<>();
            for (JsonBody entry : request.json(BODY_REQUIRED).objects("agents", "each agent must be an object")) {
                entries.add(AgentEntry.of(entry.at(""), entry.string("agentId"),
                        Providers.one(entry.at("provider"), entry.string("provider")), entry.string("tmuxSession"),
                        entry.string("cwd"), entry.string("label"), entry.choice("approvalMode", ApprovalMode.class),
                        entry.integer("pid"), entry.integer("startedAt")));
            }
            return new ReportAgents(entries);
        });
        return orchestrators.reportAgents(request.path("id"), report).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> spawn(Request request) {
        Parsed<SpawnAgent> spawn = Parsed.of(() -> {
            JsonBody body = request.json(BODY_REQUIRED);
            return new SpawnAgent(Providers.one("provider", body.string("provider")), body.string("cwd"),
                    body.string("label"), body.choice("approvalMode", ApprovalMode.class), body.string("prompt"),
                    body.strings("tags"), body.strings("capabilities"), body.strings("providerArgs"),
                    body.string("policyName"), body.string("spawnRequestId"), body.string("requestedBy"));
        });
        return orchestrators.spawn(request.path("id"), spawn).thenApply(OrchestratorRoutes::accepted);
    }

    private CompletionStage<Reply> action(Request request) {
        Parsed<ActOnAgents> action = Parsed.of(() -> {
            JsonBody body = request.json(BODY_REQUIRED);
            return new ActOnAgents(body.choice("action", AgentAction.class), body.string("agentId"),
                    body.string("policyName"), body.string("spawnRequestId"), body.string("tmuxSession"),
                    body.string("reason"), body.string("requestedBy"));
        });
        return orchestrators.act(request.path("id"), action).thenApply(OrchestratorRoutes::accepted);
    }

    private CompletionStage<Reply> delete(Request request) {
        return orchestrators.delete(request.path("id")).thenApply(v -> Reply.ok(Map.of("ok", true)));
    }

    /** 202: the command is made; the orchestrator carries it out later, reporting on the command. */
    private static Reply accepted(Command command) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        body.put("command", command);
        return Reply.accepted(body);
    }
}
