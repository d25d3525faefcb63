package io.agentrelay.cli.client;

import io.agentrelay.api.CommandStatus;
import io.agentrelay.client.CommandFilter;
import io.agentrelay.client.RelayClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "commands", mixinStandardHelpOptions = true,
        description = {"List the commands the relay made for orchestrators (agent.spawn, agent.restart,",
                "agent.shutdown), newest first, with their status."})
public final class CommandsCommand extends ClientCommand {
    @Option(names = "--target", paramLabel = "AGENT",
            description = "Only commands for this executor (an orchestrator's inbox agent, e.g. orchestrator-build-1).")
    String target;

    @Option(names = "--status", description = "Only commands with this status (pending, accepted, running, succeeded, "
            + "failed, canceled, expired).")
    String status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N commands (1-500, default 100).")
    int limit;

    @Override
    protected int run(RelayClient client) {
        CommandFilter filter = CommandFilter.ALL.withTarget(target)
                .withStatus(Args.choice(spec, "--status", status, CommandStatus.class)).withLimit(limit);
        List<io.agentrelay.api.Command> commands = client.commands().list(filter);
        if (out.json()) {
            out.json(Map.of("commands", commands));
        } else if (commands.isEmpty()) {
            out.line("no commands");
        } else {
            out.commands(commands, System.currentTimeMillis());
        }
        return ExitCodes.OK;
    }
}
