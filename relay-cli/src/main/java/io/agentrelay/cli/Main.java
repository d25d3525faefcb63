package io.agentrelay.cli;

import io.agentrelay.cli.client.AgentsCommand;
import io.agentrelay.cli.client.ClaimCommand;
import io.agentrelay.cli.client.ChannelsCommand;
import io.agentrelay.cli.client.ConfigCommand;
import io.agentrelay.cli.client.CommandsCommand;
import io.agentrelay.cli.client.ExitCodes;
import io.agentrelay.cli.client.HeartbeatCommand;
import io.agentrelay.cli.client.IdCommand;
import io.agentrelay.cli.client.InboxCommand;
import io.agentrelay.cli.client.OpenCommand;
import io.agentrelay.cli.client.OrchestratorsCommand;
import io.agentrelay.cli.client.PoliciesCommand;
import io.agentrelay.cli.client.ReadCommand;
import io.agentrelay.cli.client.RegisterCommand;
import io.agentrelay.cli.client.ReleaseCommand;
import io.agentrelay.cli.client.ReplyCommand;
import io.agentrelay.cli.client.SendCommand;
import io.agentrelay.cli.client.Shell;
import io.agentrelay.cli.client.StatusCommand;
import io.agentrelay.cli.client.TaskCommand;
import io.agentrelay.cli.client.TasksCommand;
import io.agentrelay.cli.client.ThreadCommand;
import io.agentrelay.cli.client.WatchCommand;
import io.agentrelay.cli.mcp.McpCommand;
import io.agentrelay.client.RelayException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code agent-relay} command. */
@Command(name = "agent-relay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"A durable message bus between AI coding agents.",
                "Client commands talk to the relay at AGENT_RELAY_URL (default http://127.0.0.1:4850)",
                "with AGENT_RELAY_TOKEN, as the agent AGENT_RELAY_AGENT_ID (or --agent, or a",
                "generated id: see 'agent-relay id')."},
        footerHeading = "%nExit status of the client commands (details: docs/cli.md):%n",
        footer = {"  0  done",
                "  1  unexpected error (the relay failed, or a bug)",
                "  2  bad usage, or the relay rejected the input (400)",
                "  3  relay unreachable",
                "  4  not found (404)",
                "  5  conflict (409): claimed by another agent, stale session, task move not allowed,",
                "     config --if-version not matched",
                "  6  token missing or wrong (401), or not allowed (403)",
                "  7  watch --count: timed out first"})
public final class Main implements Runnable {
    private final Shell shell;

    private Main(Shell shell) {
        this.shell = shell;
    }

    /**
     * The subcommands by name, in the order help lists them. Added to the command line by
     * {@link #commandLine(String...)} rather than named in {@code @Command}: picocli builds the model
     * of every subcommand it is given, from annotations, before it runs one, and for all of them that
     * was ~0.3 s of every start (of the relay too). {@code MainTest} keeps each name equal to its
     * class's own {@code @Command} name.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();
    private static final java.util.Set<String> ALL_NEEDED = java.util.Set.of("help", "generate-completion");
    private static final java.util.Set<String> VERSION = java.util.Set.of("--version", "-V");
    /**
     * Help is laid out for 100 columns. Picocli breaks a line at any break opportunity, inside URLs
     * and paths too ({@code http://127.0.0.1:} / {@code 4850}); the texts are written so that none
     * falls on a line end at this width, and MainTest checks it.
     */
    static final int USAGE_WIDTH = 100;

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("serve", ServeCommand.class);
        all.put("status", StatusCommand.class);
        all.put("open", OpenCommand.class);
        all.put("id", IdCommand.class);
        all.put("register", RegisterCommand.class);
        all.put("heartbeat", HeartbeatCommand.class);
        all.put("agents", AgentsCommand.class);
        all.put("send", SendCommand.class);
        all.put("inbox", InboxCommand.class);
        all.put("read", ReadCommand.class);
        all.put("reply", ReplyCommand.class);
        all.put("thread", ThreadCommand.class);
        all.put("claim", ClaimCommand.class);
        all.put("release", ReleaseCommand.class);
        all.put("watch", WatchCommand.class);
        all.put("tasks", TasksCommand.class);
        all.put("task", TaskCommand.class);
        all.put("config", ConfigCommand.class);
        all.put("orchestrators", OrchestratorsCommand.class);
        all.put("commands", CommandsCommand.class);
        all.put("channels", ChannelsCommand.class);
        all.put("pairs", io.agentrelay.cli.client.PairsCommand.class);
        all.put("policies", PoliciesCommand.class);
        all.put("connectors", io.agentrelay.cli.client.ConnectorsCommand.class);
        all.put("mcp", McpCommand.class);
        all.put("orchestrator", io.agentrelay.cli.orchestrator.OrchestratorCommand.class);
        all.put("bench", io.agentrelay.cli.bench.BenchCommand.class);
        all.put("bench-baseline", io.agentrelay.cli.bench.BaselineCommand.class);
        all.put("generate-completion", picocli.AutoComplete.GenerateCompletion.class);
        all.put("help", CommandLine.HelpCommand.class);
        return Collections.unmodifiableMap(all);
    }

    public static void main(String[] args) {
        System.exit(run(Shell.system(), args));
    }

    /** Runs {@code agent-relay args...} in {@code shell}; returns the exit status. */
    public static int run(Shell shell, String... args) {
        CommandLine commandLine = commandLine(shell, args);
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /** The command line with every subcommand (for help, and for tests). */
    static CommandLine commandLine() {
        return commandLine(Shell.system());
    }

    static CommandLine commandLine(String... args) {
        return commandLine(Shell.system(), args);
    }

    /**
     * The command line for {@code args}: with only the subcommand they name when they start with
     * one (other than {@code help}, which lists them all), with none for {@code --version}, else with
     * all of them; and with the client commands' error handling, where relay refusals become exit
     * codes.
     */
    static CommandLine commandLine(Shell shell, String... args) {
        CommandLine.IFactory factory = new ShellFactory(shell);
        CommandLine commandLine = new CommandLine(new Main(shell), factory);
        // help and generate-completion describe all the others: they get them all.
        Class<?> named = args.length > 0 && !ALL_NEEDED.contains(args[0]) ? SUBCOMMANDS.get(args[0]) : null;
        // Each built as a command line of its own: picocli applies a command's model transformer
        // (serve's flags come from one) only when that command is the one constructed.
        boolean versionOnly = args.length > 0 && VERSION.contains(args[0]);
        if (named != null) {
            commandLine.addSubcommand(args[0], new CommandLine(named, factory));
        } else if (!versionOnly) {
            SUBCOMMANDS.forEach((name, command) -> commandLine.addSubcommand(name, new CommandLine(command, factory)));
        }
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        // After the subcommands are added, so that they write to the shell's streams too.
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(shell.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(shell.err(), StandardCharsets.UTF_8), true));
        commandLine.setParameterExceptionHandler((error, arguments) -> {
            CommandLine command = error.getCommandLine();
            if (command.getCommandSpec().userObject() instanceof Main && error instanceof CommandLine.UnmatchedArgumentException
                    && arguments.length > 0 && !arguments[0].startsWith("-")) {
                // An unknown command: say so, offer the close ones, and do not bury it under the usage.
                List<String> close = Suggestions.of(arguments[0], visibleCommands());
                command.getErr().println("agent-relay: unknown command '" + arguments[0] + "'."
                        + (close.isEmpty() ? "" : " Did you mean " + String.join(" or ", close.stream()
                                .map(name -> "'agent-relay " + name + "'").toList()) + "?"));
                command.getErr().println("'agent-relay --help' lists the commands.");
                return ExitCodes.USAGE;
            }
            // Otherwise as picocli does by default: the problem, then suggestions or the usage.
            command.getErr().println(error.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(error, command.getErr())) {
                command.usage(command.getErr());
            }
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
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

    /** Bare {@code agent-relay}: the usage with every command, as {@code --help} prints it. */
    @Override
    public void run() {
        commandLine(shell).usage(shell.out());
    }

    private static List<String> visibleCommands() {
        return SUBCOMMANDS.entrySet().stream()
                .filter(entry -> !entry.getValue().getAnnotation(Command.class).hidden())
                .map(Map.Entry::getKey).toList();
    }

    /**
     * Makes commands and mixins through picocli's default factory, except that a class with a
     * {@link Shell} constructor gets the shell the command line runs in.
     */
    private record ShellFactory(Shell shell) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            java.lang.reflect.Constructor<K> withShell;
            try {
                withShell = type.getDeclaredConstructor(Shell.class);
            } catch (NoSuchMethodException none) {
                return CommandLine.defaultFactory().create(type);
            }
            return withShell.newInstance(shell);
        }
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
