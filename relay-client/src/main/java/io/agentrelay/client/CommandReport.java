package io.agentrelay.client;

import io.agentrelay.api.CommandStatus;
import java.util.Map;
import java.util.Objects;

/**
 * What an executor reports with {@link Commands#report}: as {@code agentId} (the command's
 * target), a new status or none (a progress report while running), and optionally progress, a
 * result (any JSON object) and an error. What is left null the command keeps. Start from
 * {@link #as(String)}.
 */
public record CommandReport(String agentId, CommandStatus status, String progress, Map<String, Object> result,
                            String error) {
    public CommandReport {
        Objects.requireNonNull(agentId, "agentId");
    }

    public static CommandReport as(String agentId) {
        return new CommandReport(agentId, null, null, null, null);
    }

    public CommandReport withStatus(CommandStatus value) {
        return new CommandReport(agentId, value, progress, result, error);
    }

    public CommandReport withProgress(String value) {
        return new CommandReport(agentId, status, value, result, error);
    }

    public CommandReport withResult(Map<String, Object> value) {
        return new CommandReport(agentId, status, progress, value, error);
    }

    public CommandReport withError(String value) {
        return new CommandReport(agentId, status, progress, result, value);
    }

    Map<String, Object> body() {
        return Transport.body("agentId", agentId, "status", status, "progress", progress, "result", result,
                "error", error);
    }
}
