package io.agentrelay.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code agent-relay} command. */
@Command(name = "agent-relay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A durable message bus between AI coding agents.",
        subcommands = {ServeCommand.class, io.agentrelay.cli.bench.BenchCommand.class,
                io.agentrelay.cli.bench.BaselineCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
