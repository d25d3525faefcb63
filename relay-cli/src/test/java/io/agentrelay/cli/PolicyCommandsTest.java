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

/** {@code agent-relay policies …}, run in this JVM ({@link Cli#run}) against a real relay. */
class PolicyCommandsTest {
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

    @Test
    void aPolicyIsSetFromFlagsOrAFileListedStartedStoppedAndDeleted() throws Exception {
        relay.registerOrchestrator("build-1", "/srv/work", Map.of());
        assertThat(Cli.ok(env, "policies", "list").out()).isEqualTo("no spawn policies\n");

        assertThat(Cli.ok(env, "policies", "set", "api-fixer", "--orchestrator", "build-1", "--provider", "claude",
                "--cwd", "/srv/work/api", "--tag", "backend", "--tag", "api", "--permission-mode", "open",
                "--pool", "fixers").out()).isEqualTo("spawn policy api-fixer is at version 1\n");
        Path file = dir.resolve("policy.json");
        Files.writeString(file, "{\"orchestratorId\": \"build-1\", \"provider\": \"codex\", \"label\": \"docs\"}");
        assertThat(Cli.ok(env, "policies", "set", "docs", "--file", file.toString(), "--prompt", "write docs").out())
                .isEqualTo("spawn policy docs is at version 1\n");
        JsonNode docs = Json.mapper().readTree(Cli.ok(env, "policies", "get", "docs").out());
        assertThat(docs.get("provider").asText()).isEqualTo("codex");
        assertThat(docs.get("prompt").asText()).as("the flag joins the file").isEqualTo("write docs");
        JsonNode entry = Json.mapper().readTree(Cli.ok(env, "policies", "get", "api-fixer", "--json").out());
        assertThat(entry.get("updatedBy").asText()).isEqualTo("ops");
        assertThat(entry.get("value").get("tags")).hasSize(2);

        List<String> table = Cli.ok(env, "policies", "list").out().lines().toList();
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).containsPattern("NAME\\s+STATUS\\s+PROVIDER\\s+ORCHESTRATOR\\s+AGENT");
        assertThat(table.get(1)).containsPattern("api-fixer\\s+stopped\\s+claude\\s+build-1\\s+-");

        assertThat(Cli.ok(env, "policies", "start", "api-fixer").out())
                .matches("starting api-fixer: command #\\d+ \\(agent.spawn\\) for orchestrator-build-1\\n");
        Cli.Result again = Cli.run(env, null, "policies", "start", "api-fixer");
        assertThat(again.exit()).as("%s", again).isEqualTo(5);
        assertThat(again.err()).contains("spawn policy is already running");
        assertThat(Cli.ok(env, "policies", "status", "api-fixer").out()).startsWith("api-fixer: starting\n")
                .contains("spawn request  sp_");
        JsonNode status = Json.mapper().readTree(Cli.ok(env, "policies", "status", "api-fixer", "--json").out());
        assertThat(status.get("state").get("status").asText()).isEqualTo("starting");
        assertThat(Cli.ok(env, "policies", "restart", "api-fixer").out()).contains("(agent.restart)");
        assertThat(Cli.ok(env, "policies", "stop", "api-fixer").out()).contains("(agent.shutdown)");
        assertThat(Cli.ok(env, "policies", "delete", "api-fixer").out()).startsWith("deleted api-fixer; command #");
        Cli.Result gone = Cli.run(env, null, "policies", "status", "api-fixer");
        assertThat(gone.exit()).isEqualTo(4);
        assertThat(gone.err()).contains("spawn policy not found");
    }

    @Test
    void aBadPolicyIsTheRelays400NamingTheField() {
        Cli.Result bad = Cli.run(env, null, "policies", "set", "p", "--orchestrator", "build-1", "--provider", "claude",
                "--cwd", "relative/dir");
        assertThat(bad.exit()).as("%s", bad).isEqualTo(2);
        assertThat(bad.err()).contains("value.cwd must be an absolute POSIX path");
        Cli.Result restart = Cli.run(env, null, "policies", "restart", "nope");
        assertThat(restart.exit()).isEqualTo(4);
    }
}
