package io.agentrelay.server.tasks;

import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;

/**
 * {@code PATCH /api/tasks/:id/status}. {@code progress} and {@code result}, when given, replace the
 * task's; when left out, the task keeps what it had.
 */
public record UpdateTaskStatus(String agentId, TaskStatus status, String progress, String result) {
    public static final int MAX_PROGRESS = 2_000;
    public static final int MAX_RESULT = 65_536;

    public UpdateTaskStatus {
        Require.agentId("agentId", agentId);
        if (status == null) {
            throw new RelayError.InvalidInput("status", "is required");
        }
        Require.optionalText("progress", progress, MAX_PROGRESS);
        Require.optionalText("result", result, MAX_RESULT);
    }
}
