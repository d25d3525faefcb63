package io.agentrelay.server.commands;

import io.agentrelay.api.CommandStatus;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * {@code PATCH /api/commands/:id}: the executor ({@code agentId}, the command's target) reports.
 * {@code status} null keeps the status (a report in place, allowed where the status may repeat:
 * {@code running}); {@code progress}, {@code result} and {@code error}, when given, replace the
 * command's, and when left out it keeps what it had.
 */
public record UpdateCommand(String agentId, CommandStatus status, String progress, Map<String, Object> result,
                            String error) {
    public static final int MAX_PROGRESS = 2_000;
    public static final int MAX_ERROR = 4_000;

    public UpdateCommand {
        Require.agentId("agentId", agentId);
        Require.optionalText("progress", progress, MAX_PROGRESS);
        Require.optionalText("error", error, MAX_ERROR);
    }
}
