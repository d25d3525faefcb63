package io.agentrelay.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.TaskDetail;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay task show|claim|update}: one task, acted on as this agent. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"Work on one task: show it, claim it, move it along its lifecycle.",
                "Lifecycle: open → claimed → in_progress ⇄ blocked → done | failed | canceled (docs/integrations.md)."},
        subcommands = {TaskCommand.Show.class, TaskCommand.Claim.class, TaskCommand.Update.class})
public final class TaskCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: show, claim or update (see 'agent-relay task --help')");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a task in full with its history (created, claimed, status changes, ...).")
    public static final class Show extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The task.")
        long id;

        @Override
        protected int run(RelayClient client) {
            TaskDetail detail = client.tasks().get(id);
            if (out.json()) {
                out.json(detail);
            } else {
                out.task(detail);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true,
            description = {"Claim an open task for this agent: exactly one agent wins.",
                    "Exit status 5 when another agent holds it (its id is printed) or it is finished;",
                    "6 when the task's target does not reach this agent."})
    public static final class Claim extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The task to claim.")
        long id;

        @Override
        protected int run(RelayClient client) {
            Task claimed = client.tasks().claim(id, relay.agentId());
            if (out.json()) {
                out.json(claimed);
            } else {
                out.line("claimed task #" + id + ": " + claimed.title());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Move a task you hold to a new status, optionally with progress and a result.",
                    "Repeat in_progress (or blocked) to report progress. Exit status 5 for a move the",
                    "lifecycle does not allow (the allowed ones are printed) or a task another agent holds."})
    public static final class Update extends ClientCommand {
        @Parameters(paramLabel = "ID", description = "The task.")
        long id;

        @Option(names = "--status", required = true, paramLabel = "STATUS",
                description = "claimed, in_progress, blocked, done, failed or canceled.")
        String status;

        @Option(names = "--progress", paramLabel = "TEXT", description = "What is happening now (at most 2000 characters).")
        String progress;

        @Option(names = "--result", paramLabel = "TEXT",
                description = "The outcome (at most 65536 characters); '-' reads it from standard input.")
        String result;

        @Override
        protected int run(RelayClient client) {
            TaskStatus to = Args.choice(spec, "--status", status, TaskStatus.class);
            Task moved;
            try {
                moved = client.tasks().updateStatus(id, relay.agentId(), to, progress,
                        result == null ? null : Args.textOrStdin(spec, relay.shell(), result));
            } catch (RelayException.Conflict refused) {
                JsonNode allowed = refused.body() == null ? null : refused.body().get("allowed");
                if (allowed == null || !allowed.isArray()) {
                    throw refused;
                }
                List<String> next = new ArrayList<>();
                allowed.forEach(status -> next.add(status.asText()));
                err().println("agent-relay: " + refused.getMessage() + " (allowed from here: "
                        + (next.isEmpty() ? "none, the task is finished" : String.join(", ", next)) + ")");
                return ExitCodes.CONFLICT;
            }
            if (out.json()) {
                out.json(moved);
            } else {
                out.line("task #" + id + " is " + moved.status().wire()
                        + (progress != null ? ": " + Output.preview(progress) : ""));
            }
            return ExitCodes.OK;
        }
    }
}
