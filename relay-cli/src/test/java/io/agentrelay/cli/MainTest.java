package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {
    @Test
    void eachSubcommandIsListedUnderItsOwnCommandName() {
        for (Map.Entry<String, Class<?>> entry : Main.SUBCOMMANDS.entrySet()) {
            assertThat(entry.getValue().getAnnotation(Command.class).name()).isEqualTo(entry.getKey());
        }
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine("serve", "--port", "0").getSubcommands().keySet()).containsExactly("serve");
        assertThat(Main.commandLine("send", "--help").getSubcommands().keySet()).containsExactly("send");
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
        assertThat(Main.commandLine("-V").getSubcommands()).isEmpty();
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        StringWriter text = new StringWriter();
        CommandLine commandLine = Main.commandLine("--version");
        commandLine.setOut(new PrintWriter(text));

        assertThat(commandLine.execute("--version")).isZero();
        assertThat(text.toString()).startsWith("agent-relay ");
    }

    @Test
    void withoutASubcommandOrWithHelpAllAreThere() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Main.SUBCOMMANDS.keySet());
        assertThat(Main.commandLine("--help").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
        assertThat(Main.commandLine("help", "send").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
        assertThat(Main.commandLine("no-such-command").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
    }

    @Test
    void bareAgentRelayListsTheCommands() {
        Cli.Result bare = Cli.run(Map.of(), null);

        assertThat(bare.exit()).isZero();
        assertThat(bare.out()).contains("Commands:").contains("\n  serve ").contains("\n  send ").contains("\n  mcp ");
    }

    @Test
    void anUnknownCommandIsNamedWithTheCommandsCloseToIt() {
        Cli.Result typo = Cli.run(Map.of(), null, "sned", "bob", "hi");
        Cli.Result far = Cli.run(Map.of(), null, "frobnicate");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).startsWith("agent-relay: unknown command 'sned'. Did you mean 'agent-relay send'")
                .doesNotContain("Usage:");
        assertThat(far.err()).startsWith("agent-relay: unknown command 'frobnicate'.\n").contains("--help");
        assertThat(Suggestions.of("regster", Main.SUBCOMMANDS.keySet())).first().isEqualTo("register");
        assertThat(Suggestions.of("inbx", Main.SUBCOMMANDS.keySet())).containsExactly("inbox");
        assertThat(Suggestions.of("stauts", Main.SUBCOMMANDS.keySet())).first().isEqualTo("status");
    }

    @Test
    void shellCompletionIsGeneratedForEveryCommand() {
        StringWriter text = new StringWriter();
        CommandLine commandLine = Main.commandLine("generate-completion");
        commandLine.setOut(new PrintWriter(text));

        assertThat(commandLine.execute("generate-completion")).isZero();
        assertThat(text.toString()).contains("complete -F").contains("register").contains("watch").contains("mcp");
    }

    /** URLs and paths in help texts: each must come out on one line. */
    private static final Pattern UNBREAKABLE = Pattern.compile("https?://[^\\s),]+|~?[\\w.-]*/[\\w./-]+[\\w]");

    @Test
    void helpNeverBreaksALineInsideAUrlOrAPath() {
        for (String name : Main.SUBCOMMANDS.keySet()) {
            List<String> args = name.equals("help") ? List.of("--help") : List.of(name, "--help");
            StringWriter text = new StringWriter();
            CommandLine commandLine = Main.commandLine(args.toArray(String[]::new));
            commandLine.setOut(new PrintWriter(text));
            commandLine.execute(args.toArray(String[]::new));
            CommandLine.Model.CommandSpec spec = name.equals("help") ? commandLine.getCommandSpec()
                    : commandLine.getSubcommands().get(name).getCommandSpec();
            List<String> sources = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
            sources.addAll(List.of(spec.usageMessage().footer()));
            spec.options().forEach(option -> sources.addAll(List.of(option.description())));
            spec.positionalParameters().forEach(positional -> sources.addAll(List.of(positional.description())));
            for (String source : sources) {
                Matcher tokens = UNBREAKABLE.matcher(source);
                while (tokens.find()) {
                    assertThat(text.toString()).as("%s --help: '%s' is broken across lines", name, tokens.group())
                            .contains(tokens.group());
                }
            }
        }
    }

    @Test
    void rootHelpListsEverySubcommand() {
        StringWriter text = new StringWriter();
        CommandLine commandLine = Main.commandLine("--help");
        commandLine.setOut(new PrintWriter(text));
        assertThat(commandLine.execute("--help")).isZero();
        for (Map.Entry<String, Class<?>> entry : Main.SUBCOMMANDS.entrySet()) {
            if (!entry.getValue().getAnnotation(Command.class).hidden()) {
                assertThat(text.toString()).contains("\n  " + entry.getKey() + " ");
            }
        }
        assertThat(text.toString()).doesNotContain("bench-baseline");
    }
}
