package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.config.Setting;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code serve}'s options are the settings: one each, described by it, handed on under its variable. */
class ServeFlagsTest {

    @Test
    void serveHasOneOptionPerSettingAndItsHelpNamesTheVariableTheDefaultAndTheRange() {
        CommandLine serve = Main.commandLine("serve").getSubcommands().get("serve");
        List<OptionSpec> options = serve.getCommandSpec().options().stream()
                .filter(option -> !option.usageHelp() && !option.versionHelp()).toList();

        assertThat(options).extracting(OptionSpec::longestName)
                .containsExactlyElementsOf(Arrays.stream(Setting.values()).map(Setting::flag).toList());
        for (OptionSpec option : options) {
            Setting setting = Arrays.stream(Setting.values()).filter(s -> s.flag().equals(option.longestName()))
                    .findFirst().orElseThrow();
            assertThat(String.join(" ", option.description())).startsWith(setting.help())
                    .contains("Env " + setting.env()).contains("default " + setting.shownDefault())
                    .contains(setting.type().allowed());
        }
    }

    @Test
    void theFlagsGivenAreHandedOnUnderTheirVariablesAndNoOthers() {
        CommandLine commandLine = Main.commandLine("serve");
        commandLine.parseArgs("serve", "--port", "0", "--stale-ttl-ms=5000", "--callback-allow-private", "yes",
                "--database-url", "postgresql://db/relay", "--max-pending-body-bytes", "2048");
        ServeCommand serve = commandLine.getSubcommands().get("serve").getCommand();

        assertThat(serve.overrides()).containsExactlyInAnyOrderEntriesOf(Map.of("PORT", "0", "STALE_TTL_MS", "5000",
                "AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "yes", "AGENT_RELAY_DATABASE_URL", "postgresql://db/relay",
                "AGENT_RELAY_MAX_PENDING_BODY_BYTES", "2048"));
    }

    @Test
    void anUnknownFlagIsRefusedBeforeTheRelayStarts() {
        CommandLine commandLine = Main.commandLine("serve", "--stale-ttl", "5000");
        commandLine.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));

        assertThat(commandLine.execute("serve", "--stale-ttl", "5000")).isEqualTo(2);
    }
}
