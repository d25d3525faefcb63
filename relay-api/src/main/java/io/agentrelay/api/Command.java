package io.agentrelay.api;

import java.util.Map;

/**
 * A request for an executor (an orchestrator's inbox agent, {@code target}) to start, restart or
 * stop a provider session, with what it reports back. Made by the relay
 * ({@code POST /api/orchestrators/:id/spawn} and {@code /actions}); only its target moves it along
 * its {@link CommandStatus lifecycle}. Times are epoch milliseconds; a command still
 * {@code pending} at {@code expiresAt} expires.
 *
 * @param source        who made it: {@code system} for the orchestrator routes
 * @param correlationId the caller's id for the request (a spawn's {@code spawnRequestId}), or null
 * @param params        what to do, as the executor reads it (provider, cwd, agentId, ...)
 * @param progress      the executor's latest progress report, or null
 * @param result        what the executor reports on success (any JSON object), or null
 * @param error         why it failed, or null
 * @param claimedBy     the agent that accepted it, or null while pending
 */
public record Command(
        long id,
        CommandType type,
        String source,
        String target,
        String correlationId,
        Map<String, Object> params,
        CommandStatus status,
        String progress,
        Map<String, Object> result,
        String error,
        long createdAt,
        long updatedAt,
        long expiresAt,
        String claimedBy) {

    public Command {
        params = params == null ? Map.of() : params;
    }

    /** The same command after a move (or a report in place) at {@code at}. */
    public Command moved(CommandStatus newStatus, String holder, String newProgress, Map<String, Object> newResult,
                         String newError, long at) {
        return new Command(id, type, source, target, correlationId, params, newStatus, newProgress, newResult, newError,
                createdAt, at, expiresAt, holder);
    }
}
