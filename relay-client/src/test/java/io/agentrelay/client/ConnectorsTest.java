package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.Connector;
import io.agentrelay.api.ConnectorActionResult;
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

/** {@link Connectors} against a real relay with a real connectors folder and real shell scripts. */
class ConnectorsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("connectors"));
        Files.writeString(folder.resolve("slack.json"), Json.mapper().writeValueAsString(Map.of("id", "slack",
                "name", "Slack", "actions", Map.of(
                        "status", Map.of("argv", List.of("/bin/sh", "-c", "cat")),
                        "start", Map.of("argv", List.of("/bin/sh", "-c", "echo no; exit 2"))))));
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_CONNECTORS_DIR", folder.toString()));
        client = RelayClient.connect(relay.url(), null);
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void connectorsAreRegisteredListedConfiguredAndRun() throws Exception {
        Connector discord = client.connectors().register("discord", "Discord", "bridge", "1.0", "discord");
        assertThat(discord.installed()).isFalse();
        assertThat(client.connectors().list()).extracting(Connector::id).containsExactly("discord", "slack");
        Connector slack = client.connectors().get("slack");
        assertThat(slack.installed()).isTrue();
        assertThat(slack.actions()).containsExactly("start", "status");

        assertThat(client.connectors().putConfig("slack", Map.of("apiToken", "s3cret", "room", "ops"))
                .get("apiToken").asText()).isEqualTo("********");
        assertThat(client.connectors().config("slack").get("room").asText()).isEqualTo("ops");

        ConnectorActionResult ok = client.connectors().action("slack", "status");
        assertThat(ok.ok()).isTrue();
        assertThat(Json.mapper().readTree(ok.output()))
                .isEqualTo(Json.mapper().valueToTree(Map.of("apiToken", "s3cret", "room", "ops")));
        ConnectorActionResult failed = client.connectors().action("slack", "start");
        assertThat(failed.ok()).isFalse();
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.output()).isEqualTo("no\n");
        assertThat(client.connectors().get("slack").lastAction().exitCode()).isEqualTo(2);
        ConnectorActionResult notInstalled = client.connectors().action("discord", "start");
        assertThat(notInstalled.error()).isEqualTo("connector discord is not installed on this relay's host");

        assertThatThrownBy(() -> client.connectors().get("nope")).isInstanceOf(RelayException.NotFound.class);
        assertThatThrownBy(() -> client.connectors().action("slack", "launch"))
                .isInstanceOf(RelayException.InvalidInput.class);
    }
}
