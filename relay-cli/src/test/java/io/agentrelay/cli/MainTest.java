package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
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
    }

    @Test
    void withoutASubcommandOrWithHelpAllAreThere() {
        assertThat(Main.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(Main.SUBCOMMANDS.keySet());
        assertThat(Main.commandLine("--help").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
        assertThat(Main.commandLine("help", "send").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
        assertThat(Main.commandLine("no-such-command").getSubcommands()).hasSameSizeAs(Main.SUBCOMMANDS);
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
