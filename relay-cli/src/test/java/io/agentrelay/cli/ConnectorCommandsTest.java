package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-relay connectors …}, run in this JVM ({@link Cli#run}) against a real relay and connectors folder. */
class ConnectorCommandsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("connectors"));
        Files.writeString(folder.resolve("slack.json"), Json.mapper().writeValueAsString(Map.of("id", "slack",
                "name", "Slack", "channelType", "slack", "actions", Map.of(
                        "status", Map.of("argv", List.of("/bin/sh", "-c", "cat; echo")),
                        "start", Map.of("argv", List.of("/bin/sh", "-c", "echo nope; exit 4"))))));
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_CONNECTORS_DIR", folder.toString()));
        env = Cli.as(relay.url(), "ops");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void connectorsAreListedRegisteredConfiguredAndTheirActionsRun() throws Exception {
        assertThat(Cli.ok(env, "connectors", "register", "discord", "--name", "Discord", "--channel-type", "discord")
                .out()).isEqualTo("registered connector discord\n");
        List<String> table = Cli.ok(env, "connectors", "list").out().lines().toList();
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).containsPattern("ID\\s+INSTALLED\\s+CHANNEL\\s+ACTIONS\\s+LAST ACTION\\s+NAME");
        assertThat(table.get(1)).containsPattern("discord\\s+no\\s+discord\\s+-\\s+-\\s+Discord");
        assertThat(table.get(2)).containsPattern("slack\\s+yes\\s+slack\\s+start,status\\s+-\\s+Slack");
        JsonNode slack = Json.mapper().readTree(Cli.ok(env, "connectors", "get", "slack").out());
        assertThat(slack.get("installed").asBoolean()).isTrue();

        assertThat(Cli.run(env, "{\"botToken\":\"s3cret\",\"room\":\"ops\"}", "connectors", "config", "set", "slack", "-")
                .out()).isEqualTo("config of slack written\n");
        JsonNode config = Json.mapper().readTree(Cli.ok(env, "connectors", "config", "get", "slack").out());
        assertThat(config.get("botToken").asText()).isEqualTo("********");
        assertThat(config.get("room").asText()).isEqualTo("ops");

        Cli.Result status = Cli.ok(env, "connectors", "action", "slack", "status");
        assertThat(Json.mapper().readTree(status.out()).get("botToken").asText()).isEqualTo("s3cret");
        Cli.Result start = Cli.run(env, null, "connectors", "action", "slack", "start");
        assertThat(start.exit()).as("%s", start).isEqualTo(1);
        assertThat(start.out()).isEqualTo("nope\n");
        assertThat(start.err()).contains("slack start failed: start exited with code 4");
        Cli.Result missing = Cli.run(env, null, "connectors", "get", "nope");
        assertThat(missing.exit()).isEqualTo(4);
        Cli.Result bad = Cli.run(env, null, "connectors", "config", "set", "slack", "[1]");
        assertThat(bad.exit()).isEqualTo(2);
    }
}
