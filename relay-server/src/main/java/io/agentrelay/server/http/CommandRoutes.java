package io.agentrelay.server.http;

import io.agentrelay.api.CommandStatus;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.commands.UpdateCommand;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.store.CommandQuery;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/commands}: list (a bare array, newest first), one command, the executor's reports
 * ({@code PATCH}) and cancellation ({@code DELETE}). There is no create route: commands are made
 * by the orchestrator routes.
 */
final class CommandRoutes implements Routes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final CommandService commands;

    CommandRoutes(CommandService commands) {
        this.commands = commands;
    }

    @Override
    public void register(Api api) {
        api.get("/api/commands", this::list)
                .get("/api/commands/:id", this::get)
                .patch("/api/commands/:id", this::update)
                .delete("/api/commands/:id", this::cancel);
    }

    private CompletionStage<Reply> list(Request request) {
        String target = request.query("target");
        CommandQuery query = new CommandQuery(
                target == null || target.isEmpty() ? null : Require.agentId("target", target),
                Params.choice("status", request.query("status"), CommandStatus.class),
                (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT));
        return commands.list(query).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return commands.get(id(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> update(Request request) {
        long id = id(request);
        JsonBody body = request.json();
        UpdateCommand report = new UpdateCommand(body.string("agentId"), body.choice("status", CommandStatus.class),
                body.string("progress"), body.object("result"), body.string("error"));
        return commands.update(id, report).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> cancel(Request request) {
        return commands.cancel(id(request)).thenApply(Reply::ok);
    }

    private static long id(Request request) {
        return Params.id("id", request.path("id"), "command");
    }
}
