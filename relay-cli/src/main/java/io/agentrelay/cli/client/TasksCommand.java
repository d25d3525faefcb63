package io.agentrelay.cli.client;

import io.agentrelay.api.Task;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.TaskFilter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"List the tasks integrations raised (alerts, failed builds), newest first.",
                "Take one with 'agent-relay task claim ID'; see 'agent-relay task --help'."})
public final class TasksCommand extends ClientCommand {
    @Option(names = "--status", description = "Only tasks with this status (open, claimed, in_progress, blocked, done, failed, canceled).")
    String status;

    @Option(names = "--target", description = "Only tasks for this target (an agent id, tag:NAME, cap:NAME, label:NAME, broadcast).")
    String target;

    @Option(names = "--channel", description = "Only tasks on this channel.")
    String channel;

    @Option(names = "--integration", description = "Only tasks raised by this integration.")
    String integration;

    @Option(names = "--limit", paramLabel = "N", description = "At most N tasks (1-500, default 100).")
    int limit;

    @Override
    protected int run(RelayClient client) {
        TaskFilter filter = TaskFilter.ALL.withStatus(Args.choice(spec, "--status", status, TaskStatus.class))
                .withTarget(target).withChannel(channel).withIntegration(integration).withLimit(limit);
        List<Task> tasks = client.tasks().list(filter);
        if (out.json()) {
            out.json(Map.of("tasks", tasks));
        } else if (tasks.isEmpty()) {
            out.line("no tasks");
        } else {
            out.tasks(tasks, System.currentTimeMillis());
        }
        return ExitCodes.OK;
    }
}
