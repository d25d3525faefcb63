package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.TestRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agent-relay config ...}, run in this JVM ({@link Cli#run}) against a real relay. */
class ConfigCommandsTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Map<String, String> as(String agent) {
        return Cli.as(relay.url(), agent);
    }

    private Cli.Result fails(int exit, Map<String, String> env, String stdin, String... args) {
        Cli.Result result = Cli.run(env, stdin, args);
        assertThat(result.exit()).as("%s", result).isEqualTo(exit);
        assertThat(result.out()).as("nothing on stdout when refused: %s", result).isEmpty();
        return result;
    }

    @Test
    void anAgentSetsReadsListsAndDeletesKeysWithHumanReadableOutput() throws Exception {
        Cli.Result set = Cli.run(as("alice"), "{\"model\": \"m1\", \"tools\": [\"git\"]}\n",
                "config", "set", "agents", "defaults", "-");
        assertThat(set.exit()).as("%s", set).isZero();
        assertThat(set.out()).isEqualTo("agents:defaults is at version 1\n");
        Path file = Files.writeString(dir.resolve("value.json"), "[1, 2.5, null]");
        assertThat(Cli.ok(as("bob"), "config", "set", "agents", "limits", "--file", file.toString()).out())
                .isEqualTo("agents:limits is at version 1\n");
        assertThat(Cli.ok(as("bob"), "config", "set", "flags", "beta", "true").out()).isEqualTo("flags:beta is at version 1\n");

        assertThat(Cli.ok(as("bob"), "config", "get", "agents", "defaults").out())
                .isEqualTo("{\n  \"model\" : \"m1\",\n  \"tools\" : [ \"git\" ]\n}\n");
        String namespaces = Cli.ok(as("bob"), "config", "list").out();
        assertThat(namespaces.lines().toList()).satisfiesExactly(
                header -> assertThat(header).matches("NAMESPACE\\s+KEYS\\s+UPDATED"),
                row -> assertThat(row).matches("agents\\s+2\\s+\\d+[smhd] ago"),
                row -> assertThat(row).matches("flags\\s+1\\s+\\d+[smhd] ago"));
        String keys = Cli.ok(as("bob"), "config", "list", "agents").out();
        assertThat(keys.lines().toList()).satisfiesExactly(
                header -> assertThat(header).matches("KEY\\s+VERSION\\s+UPDATED BY\\s+UPDATED\\s+VALUE"),
                row -> assertThat(row).matches("defaults\\s+1\\s+alice\\s+\\d+[smhd] ago\\s+\\{\"model\":\"m1\",\"tools\":\\[\"git\"\\]\\}"),
                row -> assertThat(row).matches("limits\\s+1\\s+bob\\s+\\d+[smhd] ago\\s+\\[1,2\\.5,null\\]"));

        assertThat(Cli.ok(as("carol"), "config", "delete", "flags", "beta").out()).isEqualTo("deleted flags:beta\n");
        assertThat(Cli.ok(as("carol"), "config", "history", "flags", "beta").out().lines().toList()).satisfiesExactly(
                header -> assertThat(header).matches("VERSION\\s+UPDATED BY\\s+UPDATED\\s+VALUE"),
                row -> assertThat(row).matches("2\\s+carol\\s+\\d+[smhd] ago\\s+\\(deleted\\)"),
                row -> assertThat(row).matches("1\\s+bob\\s+\\d+[smhd] ago\\s+true"));
        assertThat(Cli.ok(as("carol"), "config", "list", "flags").out()).isEqualTo("no keys in flags\n");
    }

    @Test
    void jsonOutputCarriesEntriesAndHistoryForScripts() throws Exception {
        Cli.ok(as("alice"), "config", "set", "agents", "defaults", "{\"model\":\"m1\"}");
        Cli.ok(as("bob"), "config", "set", "agents", "defaults", "{\"model\":\"m2\"}", "--if-version", "1");

        JsonNode entry = Json.mapper().readTree(Cli.ok(as("bob"), "config", "get", "agents", "defaults", "--json").out());
        assertThat(entry.get("version").asLong()).isEqualTo(2);
        assertThat(entry.get("updatedBy").asText()).isEqualTo("bob");
        assertThat(entry.get("value")).isEqualTo(Json.mapper().readTree("{\"model\":\"m2\"}"));
        JsonNode history = Json.mapper().readTree(Cli.ok(as("bob"), "config", "history", "agents", "defaults", "--json",
                "--limit", "1").out());
        assertThat(history).singleElement().satisfies(v -> assertThat(v.get("version").asLong()).isEqualTo(2));
        JsonNode list = Json.mapper().readTree(Cli.ok(as("bob"), "config", "list", "agents", "--json").out());
        assertThat(list).singleElement().satisfies(e -> assertThat(e.get("key").asText()).isEqualTo("defaults"));
        assertThat(Json.mapper().readTree(Cli.ok(as("bob"), "config", "delete", "agents", "defaults", "--json").out()))
                .isEqualTo(Json.mapper().readTree("{\"ok\":true}"));
    }

    @Test
    void exitCodesTellAScriptWhatWentWrong() {
        Cli.ok(as("alice"), "config", "set", "agents", "defaults", "1");
        Cli.ok(as("alice"), "config", "set", "agents", "defaults", "2");

        assertThat(fails(5, as("bob"), null, "config", "set", "agents", "defaults", "3", "--if-version", "1").err())
                .contains("agent-relay: version conflict: agents:defaults is at version 2, not 1");
        assertThat(fails(5, as("bob"), null, "config", "set", "agents", "defaults", "3", "--if-version", "0").err())
                .contains("agents:defaults is at version 2, not 0");
        assertThat(fails(5, as("bob"), null, "config", "delete", "agents", "defaults", "--if-version", "7").err())
                .contains("agents:defaults is at version 2, not 7");
        assertThat(fails(4, as("bob"), null, "config", "get", "agents", "nothing").err()).contains("config not found");
        assertThat(fails(4, as("bob"), null, "config", "delete", "agents", "nothing").err()).contains("config not found");
        assertThat(fails(2, as("bob"), null, "config", "get", "agents", "has space").err())
                .contains("key must not contain whitespace");
        assertThat(fails(2, as("bob"), null, "config", "history", "agents", "defaults", "--limit", "501").err())
                .contains("limit must be an integer between 1 and 500");

        assertThat(fails(2, as("bob"), null, "config", "set", "ns", "k", "not json").err()).contains("the value is not JSON")
                .contains("a string needs its quotes");
        assertThat(fails(2, as("bob"), null, "config", "set", "ns", "k", "{\"a\":1} extra").err()).contains("not JSON");
        assertThat(fails(2, as("bob"), "", "config", "set", "ns", "k", "-").err()).contains("the value is empty");
        assertThat(fails(2, as("bob"), null, "config", "set", "ns", "k").err()).contains("give the value");
        assertThat(fails(2, as("bob"), null, "config", "set", "ns", "k", "1", "--file", "/nonexistent").err())
                .contains("not both");
        assertThat(fails(2, as("bob"), null, "config", "set", "ns", "k", "--file", "/nonexistent").err())
                .contains("cannot read --file /nonexistent");
        assertThat(fails(2, as("bob"), null, "config").err()).contains("get, set, delete, list or history");
        assertThat(relay.http().get("/api/config/ns/k").status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void everyConfigCommandHasHelp() {
        for (List<String> command : List.of(List.of("config"), List.of("config", "get"), List.of("config", "set"),
                List.of("config", "delete"), List.of("config", "list"), List.of("config", "history"))) {
            StringWriter text = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(text));
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            assertThat(commandLine.execute(args.toArray(String[]::new))).as("%s", command).isZero();
            assertThat(text.toString()).as("%s", command).startsWith("Usage: agent-relay " + String.join(" ", command));
        }
    }
}
