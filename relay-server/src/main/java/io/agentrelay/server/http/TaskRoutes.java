package io.agentrelay.server.http;

import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.tasks.TaskService;
import io.agentrelay.server.tasks.UpdateTaskStatus;
import io.agentrelay.server.store.TaskQuery;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code /api/tasks}: list, one task with its history, claim, status changes. */
final class TaskRoutes implements Routes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final TaskService tasks;

    TaskRoutes(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public void register(Api api) {
        api.get("/api/tasks", this::list)
                .get("/api/tasks/:id", this::get)
                .post("/api/tasks/:id/claim", this::claim)
                .patch("/api/tasks/:id/status", this::status);
    }

    private CompletionStage<Reply> list(Request request) {
        String target = emptyToNull(request.query("target"));
        TaskQuery query = new TaskQuery(Params.choice("status", request.query("status"), TaskStatus.class),
                target == null ? null : Require.target("target", target).wire(),
                emptyToNull(request.query("channel")), emptyToNull(request.query("integration")),
                Params.integer("before", request.query("before"), 0, 0, Long.MAX_VALUE),
                (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT));
        return tasks.list(query).thenApply(list -> Reply.ok(Map.of("tasks", list)));
    }

    private CompletionStage<Reply> get(Request request) {
        return tasks.get(id(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> claim(Request request) {
        long id = id(request);
        return tasks.claim(id, Require.agentId("agentId", request.json().string("agentId"))).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> status(Request request) {
        long id = id(request);
        JsonBody body = request.json();
        UpdateTaskStatus command = new UpdateTaskStatus(body.string("agentId"), body.choice("status", TaskStatus.class),
                body.string("progress"), body.string("result"));
        return tasks.updateStatus(id, command).thenApply(Reply::ok);
    }

    private static long id(Request request) {
        return Params.id("id", request.path("id"), "task");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
