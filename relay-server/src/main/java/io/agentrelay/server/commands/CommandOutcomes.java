package io.agentrelay.server.commands;

import io.agentrelay.api.Command;
import io.agentrelay.server.store.Tx;

/**
 * What else a command's move to a finished status ({@code succeeded}, {@code failed},
 * {@code canceled}, {@code expired}) changes, in the move's own transaction: the supervisor of
 * spawn policies follows the commands it made. Given to {@link CommandService} by whoever wires
 * the relay.
 */
@FunctionalInterface
public interface CommandOutcomes {
    CommandOutcomes NOTHING = (tx, command, now) -> { };

    void finished(Tx tx, Command command, long now);
}
