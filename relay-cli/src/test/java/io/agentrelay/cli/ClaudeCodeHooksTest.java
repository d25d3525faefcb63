package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.TestRelay;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Claude Code plugin's hook scripts, run as Claude Code runs them: with a sample hook input on
 * stdin, the relay's address in the environment, and the {@code agent-relay} command they call.
 */
@Tag("process")
class ClaudeCodeHooksTest {
    private static final Path PLUGIN = Path.of("..", "integrations", "claude-code").toAbsolutePath().normalize();
    private static final Pattern AGENT_ID = Pattern.compile("your agent id is (\\S+)\\.");
    private static final String START_INPUT = """
            {"session_id":"8c2f6c1e-5d1a-4f3e-9b7a-2f1d3c4b5a69","transcript_path":"/home/u/.claude/projects/demo/8c2f.jsonl",\
            "cwd":"/home/u/demo","hook_event_name":"SessionStart","source":"startup"}""";
    private static final String END_INPUT = """
            {"session_id":"8c2f6c1e-5d1a-4f3e-9b7a-2f1d3c4b5a69","transcript_path":"/home/u/.claude/projects/demo/8c2f.jsonl",\
            "cwd":"/home/u/demo","hook_event_name":"SessionEnd","reason":"prompt_input_exit"}""";

    @TempDir
    Path dir;
    TestRelay relay;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        relay = TestRelay.start(dir);
        env = new HashMap<>();
        env.put("AGENT_RELAY_URL", relay.url());
        env.put("AGENT_RELAY_BIN", Cli.launcher(Files.createDirectories(dir.resolve("bin"))).toString());
        env.put("AGENT_RELAY_PROJECT", "demo");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Cli.Result hook(String script, String input) {
        return Cli.exec(new ProcessBuilder(PLUGIN.resolve("hooks").resolve(script).toString()), env, input);
    }

    @Test
    void sessionStartRegistersTheSessionAndPutsItsAgentIdInTheContext() {
        Cli.Result start = hook("session-start.sh", START_INPUT);

        assertThat(start.exit()).as("%s", start).isZero();
        Matcher id = AGENT_ID.matcher(start.out());
        assertThat(id.find()).as("%s", start).isTrue();
        assertThat(id.group(1)).matches("[a-z0-9-]+-claude-demo-[0-9a-f]{8}");
        assertThat(start.out()).contains("check_inbox").contains("wait_for_message");
        JsonNode agent = relay.http().get("/api/agents/" + id.group(1)).json();
        assertThat(agent.path("status").asText()).isEqualTo("online");
    }

    @Test
    void sessionEndMarksTheAgentOffline() {
        Matcher id = AGENT_ID.matcher(hook("session-start.sh", START_INPUT).out());
        assertThat(id.find()).isTrue();

        Cli.Result end = hook("session-end.sh", END_INPUT);

        assertThat(end.exit()).as("%s", end).isZero();
        assertThat(end.out()).isEmpty();
        assertThat(relay.http().get("/api/agents/" + id.group(1)).json().path("status").asText()).isEqualTo("offline");
    }

    @Test
    void theHookAndTheSessionsMcpServerArriveAtTheSameAgentId() throws Exception {
        Matcher fromHook = AGENT_ID.matcher(hook("session-start.sh", START_INPUT).out());
        assertThat(fromHook.find()).isTrue();

        // The MCP server, started by the same parent process (here: this test's JVM, standing in for Claude Code).
        List<String> command = new ArrayList<>(Cli.command());
        command.add("mcp");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(key -> key.startsWith("AGENT_RELAY_"));
        builder.environment().putAll(env);
        builder.environment().put("AGENT_RELAY_RIG", "claude");
        Process mcp = builder.start();
        String instructions;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(mcp.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream in = mcp.getOutputStream();
            in.write((Json.mapper().writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
                    "params", Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                            "clientInfo", Map.of("name", "hook-test", "version", "1")))) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            instructions = Json.mapper().readTree(out.readLine()).path("result").path("instructions").asText();
            in.close();
        } finally {
            mcp.waitFor(30, TimeUnit.SECONDS);
            mcp.destroyForcibly();
        }

        assertThat(instructions).contains("as agent '" + fromHook.group(1) + "'");
        assertThat(relay.http().get("/api/agents").json().path("agents")).hasSize(1);
    }

    @Test
    void anUnreachableRelayNeverBlocksTheSession() {
        env.put("AGENT_RELAY_URL", "http://127.0.0.1:1");

        Cli.Result start = hook("session-start.sh", START_INPUT);
        Cli.Result end = hook("session-end.sh", END_INPUT);

        assertThat(start.exit()).as("%s", start).isZero();
        assertThat(start.out()).contains("did not answer").contains("http://127.0.0.1:1").contains("agent-relay serve");
        assertThat(end.exit()).as("%s", end).isZero();
    }

    @Test
    void aMissingOrWrongTokenIsNamedNotReportedAsAnUnansweringRelay(@TempDir Path other) {
        try (TestRelay guarded = TestRelay.start(other, Map.of("AGENT_RELAY_TOKEN", "the-right-token"))) {
            env.put("AGENT_RELAY_URL", guarded.url());

            Cli.Result missing = hook("session-start.sh", START_INPUT);
            env.put("AGENT_RELAY_TOKEN", "a-wrong-token");
            Cli.Result wrong = hook("session-start.sh", START_INPUT);

            assertThat(missing.exit()).as("%s", missing).isZero();
            assertThat(missing.out()).contains("needs a token").contains("AGENT_RELAY_TOKEN").contains(guarded.url())
                    .doesNotContain("did not answer");
            assertThat(wrong.out()).contains("refused the token in AGENT_RELAY_TOKEN").contains(guarded.url());
        }
    }

    @Test
    void aMissingAgentRelayCommandIsExplainedNotFatal() {
        env.put("AGENT_RELAY_BIN", dir.resolve("no-such-agent-relay").toString());

        Cli.Result start = hook("session-start.sh", START_INPUT);

        assertThat(start.exit()).isZero();
        assertThat(start.out()).contains("'agent-relay' command was not found");
    }

    @Test
    void thePluginFilesAreWiredTogether() throws Exception {
        JsonNode manifest = Json.mapper().readTree(PLUGIN.resolve(".claude-plugin/plugin.json").toFile());
        JsonNode mcp = Json.mapper().readTree(PLUGIN.resolve(".mcp.json").toFile());
        JsonNode hooks = Json.mapper().readTree(PLUGIN.resolve("hooks/hooks.json").toFile());
        JsonNode marketplace = Json.mapper().readTree(PLUGIN.resolveSibling(".claude-plugin/marketplace.json").toFile());

        assertThat(manifest.path("name").asText()).isEqualTo("agent-relay");
        assertThat(marketplace.path("plugins").get(0).path("name").asText()).isEqualTo("agent-relay");
        assertThat(PLUGIN.resolveSibling(marketplace.path("plugins").get(0).path("source").asText()).normalize()).isEqualTo(PLUGIN);
        JsonNode server = mcp.path("mcpServers").path("agent-relay");
        assertThat(server.path("command").asText()).isEqualTo("agent-relay");
        assertThat(server.path("args")).extracting(JsonNode::asText).containsExactly("mcp");
        for (String event : List.of("SessionStart", "SessionEnd")) {
            String command = hooks.path("hooks").path(event).get(0).path("hooks").get(0).path("command").asText();
            Path script = PLUGIN.resolve(command.replace("${CLAUDE_PLUGIN_ROOT}/", ""));
            assertThat(script).as(event).isRegularFile().isExecutable();
        }
    }
}
