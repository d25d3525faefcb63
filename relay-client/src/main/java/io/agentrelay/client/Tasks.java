package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code /api/tasks}: the work integrations raise (alerts, failed pipelines). An agent lists tasks,
 * claims one, and moves it along the lifecycle with progress reports and a result; the relay
 * reports every change back to the integration. Get it from {@link RelayClient#tasks()}. Every
 * call is synchronous and thread-safe, and throws {@link RelayException} when refused.
 *
 * <p>The relay decides which moves are allowed (docs/integrations.md, "Task lifecycle"): from
 * {@code claimed} to {@code in_progress}, {@code blocked}, {@code done}, {@code failed} or
 * {@code canceled}; {@code in_progress} and {@code blocked} may repeat as progress reports;
 * {@code done}, {@code failed} and {@code canceled} are final. Tasks are created by integrations
 * ({@code POST /api/integrations/events} with an integration token), not through this client.
 */
public final class Tasks {
    private final Transport transport;

    Tasks(Transport transport) {
        this.transport = transport;
    }

    /** The newest tasks (at most 100), any status. */
    public List<Task> list() {
        return list(TaskFilter.ALL);
    }

    /** The tasks that match {@code filter}, newest first. */
    public List<Task> list(TaskFilter filter) {
        JsonNode body = transport.get(Transport.query("/api/tasks", filter.query())).body();
        List<Task> tasks = new ArrayList<>();
        for (JsonNode task : body.path("tasks")) {
            tasks.add(transport.read(task, Task.class));
        }
        return tasks;
    }

    /** One task and its history; {@link RelayException.NotFound} when there is none with that id. */
    public TaskDetail get(long id) {
        JsonNode body = transport.get(path(id)).body();
        // The relay sends the task's fields and its "events" side by side in one object.
        List<TaskEvent> events = new ArrayList<>();
        for (JsonNode event : body.path("events")) {
            events.add(transport.read(event, TaskEvent.class));
        }
        return new TaskDetail(transport.read(body, Task.class), events);
    }

    /**
     * Claims an open task for {@code agentId}: exactly one of several racing agents wins. The
     * others get {@link RelayException.Conflict} naming the holder ({@code claimedBy()}); a task
     * that is already finished is a conflict too. {@link RelayException.Forbidden} when the task's
     * target does not reach the agent, {@link RelayException.NotFound} for an unknown task or
     * agent. A claim does not expire; it ends when the holder finishes the task or goes offline.
     */
    public Task claim(long id, String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return transport.read(transport.post(path(id) + "/claim", Transport.body("agentId", agentId)).body(), Task.class);
    }

    /** Moves the task to {@code status} as {@code agentId}, keeping its progress and result. */
    public Task updateStatus(long id, String agentId, TaskStatus status) {
        return updateStatus(id, agentId, status, null, null);
    }

    /**
     * Moves the task to {@code status} as {@code agentId}, its holder. {@code progress} (at most
     * 2,000 characters) and {@code result} (at most 65,536) replace the task's when given and are
     * kept when null. Reporting progress without changing state is a move to the same status
     * ({@code in_progress} or {@code blocked}).
     *
     * @throws RelayException.Conflict for a move the lifecycle does not allow (the body's
     *     {@code allowed} lists the statuses that are), or when another agent holds the task
     *     ({@code claimedBy()})
     */
    public Task updateStatus(long id, String agentId, TaskStatus status, String progress, String result) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(status, "status");
        return transport.read(transport.patch(path(id) + "/status", Transport.body("agentId", agentId,
                "status", status.wire(), "progress", progress, "result", result)).body(), Task.class);
    }

    private static String path(long id) {
        return "/api/tasks/" + id;
    }
}
