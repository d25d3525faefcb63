package io.agentrelay.server.commands;

import io.agentrelay.api.CommandStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The moves a command's executor may make ({@code PATCH /api/commands/:id}); anything else is a
 * 409. Documented, row for row, in docs/api.md ("Commands").
 *
 * <pre>
 * pending   → accepted, canceled
 * accepted  → running, failed, canceled
 * running   → running (a progress report), succeeded, failed, canceled
 * succeeded, failed, canceled, expired → nothing: they are final
 * </pre>
 *
 * Two moves are the relay's own and not in this table: the reaper expires a command still
 * {@code pending} at its {@code expiresAt}, and {@code DELETE /api/commands/:id} cancels any
 * unfinished command, whoever asks.
 */
public final class CommandMoves {
    private static final Map<CommandStatus, Set<CommandStatus>> ALLOWED = new EnumMap<>(CommandStatus.class);

    static {
        ALLOWED.put(CommandStatus.PENDING, EnumSet.of(CommandStatus.ACCEPTED, CommandStatus.CANCELED));
        // An executor that accepted and then cannot start (no tmux, a provider not installed) fails
        // at once rather than pretending to run.
        ALLOWED.put(CommandStatus.ACCEPTED, EnumSet.of(CommandStatus.RUNNING, CommandStatus.FAILED, CommandStatus.CANCELED));
        ALLOWED.put(CommandStatus.RUNNING, EnumSet.of(CommandStatus.RUNNING, CommandStatus.SUCCEEDED, CommandStatus.FAILED,
                CommandStatus.CANCELED));
        for (CommandStatus status : CommandStatus.values()) {
            if (status.finished()) {
                ALLOWED.put(status, EnumSet.noneOf(CommandStatus.class));
            }
        }
    }

    private CommandMoves() {
    }

    public static boolean allowed(CommandStatus from, CommandStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Where a command in {@code from} may go, in lifecycle order. */
    public static List<CommandStatus> from(CommandStatus from) {
        return List.copyOf(ALLOWED.get(from));
    }
}
