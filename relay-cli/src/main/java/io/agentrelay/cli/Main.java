package io.agentrelay.cli;

import io.agentrelay.cli.client.AgentsCommand;
import io.agentrelay.cli.client.ClaimCommand;
import io.agentrelay.cli.client.ExitCodes;
import io.agentrelay.cli.client.HeartbeatCommand;
import io.agentrelay.cli.client.IdCommand;
import io.agentrelay.cli.client.InboxCommand;
import io.agentrelay.cli.client.ReadCommand;
import io.agentrelay.cli.client.RegisterCommand;
import io.agentrelay.cli.client.ReleaseCommand;
import io.agentrelay.cli.client.ReplyCommand;
import io.agentrelay.cli.client.SendCommand;
import io.agentrelay.cli.client.StatusCommand;
import io.agentrelay.cli.client.TaskCommand;
import io.agentrelay.cli.client.TasksCommand;
import io.agentrelay.cli.client.ThreadCommand;
import io.agentrelay.cli.client.WatchCommand;
import io.agentrelay.cli.mcp.McpCommand;
import io.agentrelay.client.RelayException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code agent-relay} command. */
@Command(name = "agent-relay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"A durable message bus between AI coding agents.",
                "Client commands talk to the relay at AGENT_RELAY_URL (default http://127.0.0.1:4850)",
                "with AGENT_RELAY_TOKEN, as the agent AGENT_RELAY_AGENT_ID (or --agent, or a",
                "generated id: see 'agent-relay id')."},
        subcommands = {ServeCommand.class, StatusCommand.class, IdCommand.class, RegisterCommand.class,
                HeartbeatCommand.class, AgentsCommand.class, SendCommand.class, InboxCommand.class, ReadCommand.class,
                ReplyCommand.class, ThreadCommand.class, ClaimCommand.class, ReleaseCommand.class, WatchCommand.class,
                TasksCommand.class, TaskCommand.class,
                McpCommand.class, io.agentrelay.cli.bench.BenchCommand.class,
                io.agentrelay.cli.bench.BaselineCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit status of the client commands (details: docs/cli.md):%n",
        footer = {"  0  done",
                "  1  unexpected error (the relay failed, or a bug)",
                "  2  bad usage, or the relay rejected the input (400)",
                "  3  relay unreachable",
                "  4  not found (404)",
                "  5  conflict (409): claimed by another agent, stale session, task move not allowed",
                "  6  token missing or wrong (401), or not allowed (403)",
                "  7  watch --count: timed out first"})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the client commands' error handling: relay refusals become exit codes. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((error, command, parsed) -> {
            if (error instanceof RelayException relay) {
                command.getErr().println("agent-relay: " + relay.getMessage());
                return ExitCodes.of(relay);
            }
            if (error instanceof IllegalArgumentException invalid) {
                command.getErr().println("agent-relay: " + invalid.getMessage());
                return ExitCodes.USAGE;
            }
            throw error;
        });
        return commandLine;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Reports the jar's implementation version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"agent-relay " + (version == null ? "dev" : version)};
        }
    }
}
