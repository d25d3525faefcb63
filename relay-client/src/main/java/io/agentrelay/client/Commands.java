package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.RelayEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code /api/commands}: the requests the relay makes for executors (an orchestrator's inbox
 * agent): spawn, restart and shutdown. The executor follows its commands ({@link #follow}),
 * accepts one, runs it and reports ({@link #report}); anyone may {@link #cancel} an unfinished
 * one. Get it from {@link RelayClient#commands()}. Every call is synchronous and thread-safe, and
 * throws {@link RelayException} when refused.
 *
 * <p>The relay decides which moves are allowed (docs/api.md, "Commands"): {@code pending →
 * accepted → running → succeeded | failed}, {@code accepted → failed}, {@code running} may
 * repeat as a progress report, any unfinished one may be {@code canceled}; {@code pending}
 * commands nobody accepts within {@code AGENT_RELAY_COMMAND_TTL_MS} expire.
 */
public final class Commands {
    private final Transport transport;
    private final Events events;

    Commands(Transport transport, Events events) {
        this.transport = transport;
        this.events = events;
    }

    /** The newest commands (at most 100), any target and status. */
    public List<Command> list() {
        return list(CommandFilter.ALL);
    }

    /** The commands that match {@code filter}, newest first. */
    public List<Command> list(CommandFilter filter) {
        JsonNode body = transport.get(Transport.query("/api/commands", filter.query())).body();
        List<Command> commands = new ArrayList<>();
        for (JsonNode command : body) {
            commands.add(transport.read(command, Command.class));
        }
        return commands;
    }

    /** One command; {@link RelayException.NotFound} when there is none with that id. */
    public Command get(long id) {
        return transport.read(transport.get(path(id)).body(), Command.class);
    }

    /**
     * A report by the command's target. Of executors racing to accept one command exactly one
     * wins; the others get {@link RelayException.Conflict}, as does any move the lifecycle does
     * not allow (its body's {@code allowed} lists the statuses that are).
     * {@link RelayException.Forbidden} when {@code agentId} is not the command's target.
     */
    public Command report(long id, CommandReport report) {
        return transport.read(transport.patch(path(id), report.body()).body(), Command.class);
    }

    /** {@link #report} moving to {@code status} with nothing else. */
    public Command move(long id, String agentId, CommandStatus status) {
        Objects.requireNonNull(status, "status");
        return report(id, CommandReport.as(agentId).withStatus(status));
    }

    /** Cancels an unfinished command; {@link RelayException.Conflict} when it is already finished. */
    public Command cancel(long id) {
        return transport.read(transport.delete(path(id)).body(), Command.class);
    }

    /**
     * Follows the commands addressed to {@code target} (made and moved) on a live stream that
     * resumes after disconnects: each change arrives as the command after it, once, in order. With
     * {@link StreamOptions#resumeAfter()} unset it starts now; an executor that starts up lists
     * the pending ones first ({@link #list(CommandFilter)}) and resumes from the stream's
     * {@link LiveStream#lastEventId()} when it restarts. Close the returned stream to stop.
     */
    public LiveStream follow(String target, StreamOptions options, Consumer<Command> onCommand) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(onCommand, "onCommand");
        EventFilter filter = EventFilter.forAgent(target).withTypes(EventFilter.COMMAND_CREATED,
                EventFilter.COMMAND_UPDATED);
        return events.subscribe(filter, options,
                (RelayEvent event) -> onCommand.accept(transport.read(event.data(), Command.class)));
    }

    private static String path(long id) {
        return "/api/commands/" + id;
    }
}
