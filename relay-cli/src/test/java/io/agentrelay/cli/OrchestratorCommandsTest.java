package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-relay orchestrators} and {@code agent-relay commands}, run in this JVM ({@link Cli#run}) against a real relay. */
class OrchestratorCommandsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    Map<String, String> env;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        env = Cli.as(relay.url(), "ops");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private long spawn(String orchestrator, String cwd) {
        return relay.http().post("/api/orchestrators/" + orchestrator + "/spawn", Map.of("provider", "claude", "cwd", cwd))
                .json().get("command").get("id").asLong();
    }

    @Test
    void orchestratorsAreListedAsATableOrAsJson() throws Exception {
        assertThat(Cli.ok(env, "orchestrators").out()).isEqualTo("no orchestrators\n");
        relay.registerOrchestrator("build-1", "/srv/work", Map.of("hostname", "build-1.lan", "providers", List.of("codex")));
        relay.registerOrchestrator("build-2", "/home/ci", Map.of());
        relay.http().patch("/api/orchestrators/build-2/agents", Map.of("agents", List.of(
                Map.of("provider", "claude", "tmuxSession", "s1", "cwd", "/home/ci"),
                Map.of("provider", "codex", "tmuxSession", "s2", "cwd", "/home/ci"))));

        List<String> table = Cli.ok(env, "orchestrators").out().lines().toList();

        assertThat(table).hasSize(3);
        assertThat(table.get(0)).containsPattern("ID\\s+STATUS\\s+HOST\\s+PROVIDERS\\s+SESSIONS\\s+INBOX\\s+LAST SEEN\\s+BASE DIR");
        assertThat(table.get(1)).containsPattern("build-1\\s+online\\s+build-1.lan\\s+codex\\s+0\\s+orchestrator-build-1\\s+.*/srv/work");
        assertThat(table.get(2)).containsPattern("build-2\\s+online\\s+build-2.example\\s+claude,codex\\s+2\\s+orchestrator-build-2");
        Cli.Result json = Cli.ok(env, "orchestrators", "--json");
        JsonNode listed = Json.mapper().readTree(json.out()).get("orchestrators");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1).get("agents").get(1).get("tmuxSession").asText()).isEqualTo("s2");
    }

    @Test
    void commandsAreListedNewestFirstWithFilters() throws Exception {
        relay.registerOrchestrator("build-1", "/srv", Map.of());
        relay.registerOrchestrator("build-2", "/srv", Map.of());
        long first = spawn("build-1", "/srv/api");
        long restart = relay.http().post("/api/orchestrators/build-2/actions", Map.of("action", "restart", "agentId", "w7"))
                .json().get("command").get("id").asLong();
        long running = spawn("build-1", "/srv/web");
        relay.http().patch("/api/commands/" + running, Map.of("agentId", "orchestrator-build-1", "status", "accepted"));
        relay.http().patch("/api/commands/" + running, Map.of("agentId", "orchestrator-build-1", "status", "running",
                "progress", "starting tmux"));

        List<String> table = Cli.ok(env, "commands").out().lines().toList();

        assertThat(table).hasSize(4);
        assertThat(table.get(0)).containsPattern("ID\\s+TYPE\\s+STATUS\\s+TARGET\\s+UPDATED\\s+DETAIL");
        assertThat(table.get(1)).containsPattern("#" + running + "\\s+agent.spawn\\s+running\\s+orchestrator-build-1\\s+.*starting tmux");
        assertThat(table.get(2)).containsPattern("#" + restart + "\\s+agent.restart\\s+pending\\s+orchestrator-build-2\\s+.*w7");
        assertThat(table.get(3)).containsPattern("#" + first + "\\s+agent.spawn\\s+pending\\s+.*claude in /srv/api");
        assertThat(Cli.ok(env, "commands", "--target", "orchestrator-build-1", "--status", "pending").out().lines())
                .hasSize(2).last().asString().startsWith("#" + first);
        assertThat(Cli.ok(env, "commands", "--limit", "1").out().lines()).hasSize(2);
        JsonNode json = Json.mapper().readTree(Cli.ok(env, "commands", "--json", "--status", "running").out());
        assertThat(json.get("commands")).hasSize(1);
        assertThat(json.get("commands").get(0).get("progress").asText()).isEqualTo("starting tmux");
        assertThat(Cli.ok(env, "commands", "--status", "expired").out()).isEqualTo("no commands\n");

        Cli.Result badStatus = Cli.run(env, null, "commands", "--status", "done");
        assertThat(badStatus.exit()).isEqualTo(2);
        assertThat(badStatus.err()).contains("--status must be one of pending|accepted|running|succeeded|failed|canceled|expired");
        Cli.Result badTarget = Cli.run(env, null, "commands", "--target", "tag:ops");
        assertThat(badTarget.exit()).as("the relay's 400").isEqualTo(2);
        assertThat(badTarget.err()).contains("target must be an agent id");
    }
}
