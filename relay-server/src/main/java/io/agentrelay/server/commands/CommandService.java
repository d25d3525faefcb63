package io.agentrelay.server.commands;

import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.CommandQuery;
import io.agentrelay.server.store.NewCommand;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Commands for executors (an orchestrator's inbox agent): made by the orchestrator routes
 * ({@link #create}), moved along {@link CommandMoves} by their target only, canceled by anyone,
 * expired by the reaper. Every change appends its event in the same transaction, scoped to the
 * command's target so that the target's stream carries it: {@code command.created} for a new one,
 * {@code command.updated} for every move.
 */
public final class CommandService {
    private final Store store;
    private final Clock clock;
    private final SignsOfLife signsOfLife;
    private final CommandOutcomes outcomes;

    public CommandService(Store store, Clock clock, SignsOfLife signsOfLife, CommandOutcomes outcomes) {
        this.store = store;
        this.clock = clock;
        this.signsOfLife = signsOfLife;
        this.outcomes = outcomes;
    }

    public CompletableFuture<List<Command>> list(CommandQuery query) {
        return store.read(reads -> reads.commands(query));
    }

    public CompletableFuture<Command> get(long id) {
        return store.read(reads -> existing(reads, id));
    }

    /**
     * A report by the command's executor. Only the target may move a command (403 for anyone
     * else); a move {@link CommandMoves} does not allow is a 409 naming the allowed ones. The move
     * is a conditional update on the status it was read with, so of two executors racing to
     * accept one command exactly one wins and the other gets a 409.
     */
    public CompletableFuture<Command> update(long id, UpdateCommand report) {
        return store.write(tx -> {
            long now = clock.millis();
            Command command = existing(tx, id);
            if (!command.target().equals(report.agentId())) {
                throw new RelayError.Forbidden("command " + id + " is for " + command.target() + "; agent "
                        + report.agentId() + " may not move it");
            }
            CommandStatus to = report.status() != null ? report.status() : command.status();
            if (!CommandMoves.allowed(command.status(), to)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("status", command.status().wire());
                details.put("allowed", CommandMoves.from(command.status()).stream().map(CommandStatus::wire).toList());
                throw new RelayError.Conflict("command " + id + " cannot go from " + command.status().wire() + " to "
                        + to.wire(), details);
            }
            // The agent that accepts a command holds it from then on.
            String holder = command.status() == CommandStatus.PENDING && to == CommandStatus.ACCEPTED
                    ? report.agentId() : command.claimedBy();
            Command after = command.moved(to, holder,
                    report.progress() != null ? report.progress() : command.progress(),
                    report.result() != null ? report.result() : command.result(),
                    report.error() != null ? report.error() : command.error(), now);
            record(tx, command, after, Event.Origin.of(report.agentId(), id), report.agentId(), now);
            if (!command.status().finished() && after.status().finished()) {
                outcomes.finished(tx, after, now);
            }
            signsOfLife.within(tx, report.agentId(), now);
            return after;
        });
    }

    /** Cancels an unfinished command, whoever asks ({@code DELETE}); a finished one is a 409. */
    public CompletableFuture<Command> cancel(long id) {
        return store.write(tx -> {
            long now = clock.millis();
            Command command = existing(tx, id);
            if (command.status().finished()) {
                throw new RelayError.Conflict("command " + id + " is already " + command.status().wire(),
                        Map.of("status", command.status().wire()));
            }
            Command canceled = command.moved(CommandStatus.CANCELED, command.claimedBy(), command.progress(),
                    command.result(), command.error(), now);
            record(tx, command, canceled, Event.Origin.server(id), null, now);
            outcomes.finished(tx, canceled, now);
            return canceled;
        });
    }

    /**
     * Inserts a pending command and its {@code command.created} event, in the caller's
     * transaction (the orchestrator routes make commands; there is no public create route).
     */
    public static Command create(Tx tx, NewCommand draft) {
        Command command = tx.insertCommand(draft);
        tx.append(EventType.COMMAND_CREATED, Event.Origin.server(command.id()), scope(command, null), command,
                command.createdAt());
        return command;
    }

    /**
     * Expires every command still pending at its expiry, for the reaper, inside its transaction;
     * {@code outcomes} hears of each.
     */
    public static List<Long> expire(Tx tx, long now, CommandOutcomes outcomes) {
        List<Long> expired = new ArrayList<>();
        for (Command command : tx.commandsExpiredAt(now)) {
            Command after = command.moved(CommandStatus.EXPIRED, null, command.progress(), command.result(),
                    command.error(), now);
            // Read and moved in one transaction of the serialised writer: the condition holds, but
            // a command another node moved meanwhile is simply left alone.
            if (tx.saveCommandIf(after, CommandStatus.PENDING)) {
                tx.append(EventType.COMMAND_UPDATED, Event.Origin.server(command.id()), scope(after, null), after, now);
                outcomes.finished(tx, after, now);
                expired.add(command.id());
            }
        }
        return expired;
    }

    /** Saves a move made on {@code before} and appends its event; a 409 when the command moved meanwhile. */
    private static void record(Tx tx, Command before, Command after, Event.Origin origin, String agentId, long now) {
        if (!tx.saveCommandIf(after, before.status())) {
            Command current = existing(tx, after.id());
            throw new RelayError.Conflict("command " + after.id() + " changed meanwhile: it is now "
                    + current.status().wire(), Map.of("status", current.status().wire()));
        }
        tx.append(EventType.COMMAND_UPDATED, origin, scope(after, agentId), after, now);
    }

    /**
     * Scoped to the target, so the target's stream carries it (as a message to it would be), and to
     * the reporting agent when one acted (its own reports show on its stream too).
     */
    private static Event.Scope scope(Command command, String agentId) {
        return new Event.Scope(command.target(), agentId, null);
    }

    private static Command existing(Reads reads, long id) {
        return reads.command(id).orElseThrow(() -> new RelayError.NotFound("command " + id + " not found"));
    }
}
