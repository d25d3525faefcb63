package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent-relay mcp} spawned as a process and driven over stdio by the MCP Java SDK's own
 * client, against a real relay. One server process serves the whole class (a JVM start is the
 * expensive part); each test drains the inbox it looks at.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("process")
class McpServerTest {
    private static final String SELF = "carol";
    private static final String INTEGRATION_TOKEN = "monitor-token-0123456789";

    TestRelay relay;
    McpSyncClient mcp;
    McpSchema.InitializeResult initialized;
    int agentStatusAfterInitialize;
    final List<String> serverErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", INTEGRATION_TOKEN, List.of("tag:reviewers", SELF), List.of())
                .env(Map.of("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "1000")));
        relay.register("bob", Map.of("tags", List.of("reviewers")));
        mcp = client(Map.of("AGENT_RELAY_AGENT_ID", SELF, "AGENT_RELAY_CAPS", "java,review", "AGENT_RELAY_TAGS", "reviewers",
                "AGENT_RELAY_NAME", "Carol (Claude Code)"));
        initialized = mcp.initialize();
        agentStatusAfterInitialize = relay.http().get("/api/agents/" + SELF).status();
    }

    @AfterAll
    void stop() {
        if (mcp != null) {
            mcp.closeGracefully();
        }
        relay.close();
    }

    private McpSyncClient client(Map<String, String> extraEnv) {
        List<String> command = Cli.command();
        Map<String, String> env = new HashMap<>(extraEnv);
        env.putIfAbsent("AGENT_RELAY_URL", relay.url());
        ServerParameters server = ServerParameters.builder(command.get(0))
                .args(new ArrayList<>(command.subList(1, command.size())))
                .arg("mcp")
                .env(env)
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(serverErrors::add);
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).initializationTimeout(Duration.ofSeconds(60)).build();
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
        return mcp.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    }

    /** A successful call's JSON answer. */
    private JsonNode ok(String tool, Map<String, Object> arguments) throws Exception {
        McpSchema.CallToolResult result = call(tool, arguments);
        assertThat(result.isError()).as("%s: %s", tool, text(result)).isFalse();
        return Json.mapper().readTree(text(result));
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private void drainInbox() throws Exception {
        while (ok("check_inbox", Map.of("limit", 100)).path("more").asBoolean()) {
            // keep taking
        }
    }

    @Test
    void initializingTellsTheModelItsIdAndTheFirstToolCallRegistersTheSession() throws Exception {
        assertThat(initialized.serverInfo().name()).isEqualTo("agent-relay");
        assertThat(initialized.instructions()).contains("as agent 'carol'");
        assertThat(agentStatusAfterInitialize).as("a health check that only initializes leaves no agent").isEqualTo(404);
        ok("list_agents", Map.of());
        JsonNode agent = relay.http().get("/api/agents/carol").json();
        assertThat(agent.path("status").asText()).isEqualTo("online");
        assertThat(agent.path("name").asText()).isEqualTo("Carol (Claude Code)");
        assertThat(agent.path("capabilities")).extracting(JsonNode::asText).containsExactly("java", "review");
        assertThat(agent.path("tags")).extracting(JsonNode::asText).containsExactly("reviewers");
        assertThat(agent.path("meta").path("via").asText()).isEqualTo("mcp");
    }

    @Test
    void toolsAreListedWithDescriptionsAndSchemas() {
        List<McpSchema.Tool> tools = mcp.listTools().tools();

        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder("send_message", "check_inbox", "reply",
                "get_thread", "claim", "release", "list_agents", "wait_for_message", "claim_task", "update_task", "pair",
                "list_pairs");
        for (McpSchema.Tool tool : tools) {
            assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(40);
            assertThat(tool.inputSchema()).as(tool.name()).containsEntry("type", "object").containsKey("properties");
        }
        McpSchema.Tool send = tools.stream().filter(t -> t.name().equals("send_message")).findFirst().orElseThrow();
        assertThat(send.inputSchema()).containsEntry("required", List.of("to", "body"));
        McpSchema.Tool update = tools.stream().filter(t -> t.name().equals("update_task")).findFirst().orElseThrow();
        assertThat(update.inputSchema()).containsEntry("required", List.of("task_id", "status"));
        assertThat(update.inputSchema().get("properties")).asString().contains("in_progress").contains("progress")
                .contains("result");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ((Map<String, Object>) update.inputSchema().get("properties")).get("status");
        assertThat(String.valueOf(status.get("enum"))).as("an agent never moves a task to open")
                .isEqualTo("[claimed, in_progress, blocked, done, failed, canceled]");
    }

    /** Raises a task as the integration would: an event posted with the integration's token. */
    private long raise(String target, String title) {
        return relay.raiseTask(INTEGRATION_TOKEN, Map.of("target", target, "title", title));
    }

    @Test
    void taskToolsClaimReportProgressAndFinishATaskAsThisAgent() throws Exception {
        long id = raise(SELF, "Disk almost full on db-1");

        JsonNode claimed = ok("claim_task", Map.of("task_id", id));
        assertThat(claimed.path("status").asText()).isEqualTo("claimed");
        assertThat(claimed.path("claimedBy").asText()).isEqualTo(SELF);
        assertThat(claimed.path("title").asText()).isEqualTo("Disk almost full on db-1");
        JsonNode working = ok("update_task", Map.of("task_id", id, "status", "in_progress", "progress", "rotating logs"));
        assertThat(working.path("status").asText()).isEqualTo("in_progress");
        assertThat(working.path("progress").asText()).isEqualTo("rotating logs");
        JsonNode done = ok("update_task", Map.of("task_id", id, "status", "done", "result", "freed 40 GB"));
        assertThat(done.path("status").asText()).isEqualTo("done");
        assertThat(done.path("result").asText()).isEqualTo("freed 40 GB");

        JsonNode stored = relay.http().get("/api/tasks/" + id).json();
        assertThat(stored.path("status").asText()).isEqualTo("done");
        assertThat(stored.path("progress").asText()).isEqualTo("rotating logs");
        assertThat(stored.path("result").asText()).isEqualTo("freed 40 GB");
        assertThat(stored.path("events")).extracting(e -> e.path("kind").asText() + " " + e.path("agentId").asText())
                .containsExactly("created null", "claimed " + SELF, "status " + SELF, "status " + SELF);
        drainInbox();
    }

    @Test
    void taskRefusalsComeBackAsToolErrorsWithTheRelaysMessage() {
        long open = raise(SELF, "CPU hot");
        long bobs = raise("tag:reviewers", "Build failed");
        assertThat(relay.http().post("/api/tasks/" + bobs + "/claim", Map.of("agentId", "bob")).status()).isEqualTo(200);

        McpSchema.CallToolResult early = call("update_task", Map.of("task_id", open, "status", "done"));
        McpSchema.CallToolResult taken = call("claim_task", Map.of("task_id", bobs));
        McpSchema.CallToolResult notHolder = call("update_task", Map.of("task_id", bobs, "status", "done"));
        McpSchema.CallToolResult missing = call("update_task", Map.of("task_id", 999_999, "status", "done"));
        McpSchema.CallToolResult badStatus = call("update_task", Map.of("task_id", open, "status", "finished"));

        assertThat(early.isError()).isTrue();
        assertThat(text(early)).isEqualTo("relay refused (409): task " + open + " cannot go from open to done; "
                + "allowed from here: claimed, canceled");
        assertThat(taken.isError()).isTrue();
        assertThat(text(taken)).contains("task " + bobs + " is already claimed by bob");
        assertThat(notHolder.isError()).isTrue();
        assertThat(text(notHolder)).contains("task " + bobs + " is claimed by bob");
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("404").contains("not found");
        assertThat(badStatus.isError()).isTrue();
        assertThat(text(badStatus)).contains("status");
        assertThat(relay.http().get("/api/tasks/" + open).json().path("status").asText()).isEqualTo("open");
    }

    @Test
    void everyToolActsOnTheRelayAsThisAgent() throws Exception {
        drainInbox();
        JsonNode sent = ok("send_message", Map.of("to", "bob", "body", "Can you review PR #7?", "subject", "PR 7"));
        assertThat(relay.http().get("/api/messages/" + sent.path("id").asLong()).json().path("from").asText()).isEqualTo(SELF);

        long question = relay.send("bob", "cap:review", "Which branch?").json().path("id").asLong();
        JsonNode inbox = ok("check_inbox", Map.of());
        assertThat(inbox.path("messages")).extracting(m -> m.path("body").asText()).containsExactly("Which branch?");
        assertThat(ok("check_inbox", Map.of()).path("messages")).isEmpty(); // marked read

        JsonNode answer = ok("reply", Map.of("message_id", question, "body", "main"));
        assertThat(answer.path("to").asText()).isEqualTo("bob");
        JsonNode thread = ok("get_thread", Map.of("message_id", answer.path("id").asLong()));
        assertThat(thread.path("messages")).extracting(m -> m.path("body").asText()).containsExactly("Which branch?", "main");

        long work = relay.send("bob", "tag:reviewers", "take this", Map.of("claimable", true)).json().path("id").asLong();
        assertThat(ok("claim", Map.of("message_id", work)).path("claimedBy").asText()).isEqualTo(SELF);
        assertThat(ok("release", Map.of("message_id", work)).has("claimedBy")).isFalse();

        JsonNode agents = ok("list_agents", Map.of("capability", "review"));
        assertThat(agents.path("you").asText()).isEqualTo(SELF);
        assertThat(agents.path("agents")).extracting(a -> a.path("id").asText()).containsExactly(SELF);
        drainInbox();
    }

    @Test
    void anAgentPairsWithAnotherThroughThePairTools() throws Exception {
        relay.register("dave");
        JsonNode invited = ok("pair", Map.of("action", "invite", "agent", "dave", "topic", "flaky test"));
        long id = invited.path("id").asLong();
        assertThat(invited.path("status").asText()).isEqualTo("pending");
        assertThat(invited.path("from").asText()).isEqualTo(SELF);
        McpSchema.CallToolResult early = call("pair", Map.of("action", "send", "pair_id", id, "body", "hi"));
        assertThat(early.isError()).isTrue();
        assertThat(text(early)).contains("pair " + id + " is pending, not active");
        assertThat(relay.http().post("/api/pairs/" + id + "/accept", Map.of("agentId", "dave")).status()).isEqualTo(200);

        JsonNode sent = ok("pair", Map.of("action", "send", "pair_id", id, "body", "I take the backend"));
        assertThat(sent.path("to").asText()).isEqualTo("dave");
        assertThat(ok("list_pairs", Map.of("status", "active")).path("pairs")).extracting(p -> p.path("id").asLong())
                .containsExactly(id);
        assertThat(ok("pair", Map.of("action", "end", "pair_id", id, "reason", "done")).path("status").asText())
                .isEqualTo("ended");
        assertThat(call("pair", Map.of("action", "dance")).isError()).isTrue();
        drainInbox();
    }

    @Test
    void refusalsComeBackAsToolErrorsWithTheRelaysMessage() {
        long work = relay.send("alice", "tag:reviewers", "mine", Map.of("claimable", true)).json().path("id").asLong();
        assertThat(relay.http().post("/api/messages/" + work + "/claim", Map.of("agentId", "bob")).status()).isEqualTo(200);

        McpSchema.CallToolResult taken = call("claim", Map.of("message_id", work));
        McpSchema.CallToolResult missing = call("get_thread", Map.of("message_id", 999_999));
        McpSchema.CallToolResult noBody = call("send_message", Map.of("to", "bob"));

        assertThat(taken.isError()).isTrue();
        assertThat(text(taken)).contains("message " + work + " is already claimed by bob");
        assertThat(missing.isError()).isTrue();
        assertThat(text(missing)).contains("404").contains("not found");
        assertThat(noBody.isError()).isTrue();
        assertThat(text(noBody)).contains("'body'"); // the SDK checks the arguments against the tool's schema
    }

    @Test
    void waitForMessageReturnsWhenAnotherAgentSends() throws Exception {
        drainInbox();
        JsonNode quiet = ok("wait_for_message", Map.of("timeout_seconds", 1));
        assertThat(quiet.path("timedOut").asBoolean()).isTrue();

        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return ok("wait_for_message", Map.of("timeout_seconds", 120));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        relay.send("bob", SELF, "wake up");

        JsonNode woken = waiting.get(60, TimeUnit.SECONDS);
        assertThat(woken.path("timedOut").asBoolean()).isFalse();
        assertThat(woken.path("messages")).extracting(m -> m.path("body").asText()).containsExactly("wake up");
        assertThat(woken.path("messages").get(0).path("from").asText()).isEqualTo("bob");
    }

    @Test
    void stdoutCarriesOnlyProtocolAndClosingStdinMarksTheAgentOffline() throws Exception {
        List<String> command = new ArrayList<>(Cli.command());
        command.add("mcp");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AGENT_RELAY_URL", relay.url());
        builder.environment().put("AGENT_RELAY_AGENT_ID", "dave");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream in = process.getOutputStream();
            send(in, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion", "2025-06-18",
                    "capabilities", Map.of(), "clientInfo", Map.of("name", "raw-test", "version", "1"))));
            lines.add(out.readLine());
            send(in, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
            send(in, Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                    "params", Map.of("name", "send_message", "arguments", Map.of("to", "bob", "body", "from dave"))));
            lines.add(out.readLine());
            assertThat(relay.http().get("/api/agents/dave").json().path("status").asText()).isEqualTo("online");

            in.close(); // the client went away
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        for (String line : lines) {
            assertThat(Json.mapper().readTree(line).path("jsonrpc").asText()).as(line).isEqualTo("2.0");
        }
        assertThat(lines.get(1)).contains("from dave");
        Http.Response dave = relay.http().get("/api/agents/dave");
        assertThat(dave.json().path("status").asText()).isEqualTo("offline");
    }

    @Test
    void aWrongOrMissingTokenIsReportedInEachToolResultNamingTheVariableAndTheRelay(@TempDir Path other) throws Exception {
        try (TestRelay guarded = TestRelay.start(other, Map.of("AGENT_RELAY_TOKEN", "the-right-token"))) {
            for (Map<String, String> env : List.of(Map.of("AGENT_RELAY_TOKEN", "a-wrong-token"), Map.<String, String>of())) {
                Map<String, String> full = new HashMap<>(env);
                full.put("AGENT_RELAY_URL", guarded.url());
                full.put("AGENT_RELAY_AGENT_ID", "erin");
                McpSyncClient client = client(full);
                try {
                    assertThat(client.initialize().serverInfo().name()).as("initialize is answered").isEqualTo("agent-relay");
                    McpSchema.CallToolResult result = client.callTool(
                            McpSchema.CallToolRequest.builder("check_inbox").arguments(Map.of()).build());
                    assertThat(result.isError()).isTrue();
                    assertThat(text(result)).contains("AGENT_RELAY_TOKEN").contains(guarded.url()).contains("401")
                            .doesNotContain("Authorization");
                } finally {
                    client.closeGracefully();
                }
            }
        }
    }

    @Test
    void readOnlyApprovalRefusesTheToolsThatActAndAllowsTheRest() throws Exception {
        McpSyncClient client = client(Map.of("AGENT_RELAY_AGENT_ID", "frank", "AGENT_RELAY_APPROVAL", "read-only"));
        try {
            client.initialize();
            for (String tool : List.of("send_message", "claim", "claim_task", "update_task")) {
                Map<String, Object> args = switch (tool) {
                    case "send_message" -> Map.of("to", "bob", "body", "hi");
                    case "claim" -> Map.of("message_id", 1);
                    case "claim_task" -> Map.of("task_id", 1);
                    default -> Map.of("task_id", 1, "status", "done");
                };
                McpSchema.CallToolResult refused = client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
                assertThat(refused.isError()).as(tool).isTrue();
                assertThat(text(refused)).as(tool).contains("AGENT_RELAY_APPROVAL is read-only");
            }
            McpSchema.CallToolResult inbox = client.callTool(McpSchema.CallToolRequest.builder("check_inbox").arguments(Map.of()).build());
            assertThat(inbox.isError()).as(text(inbox)).isFalse();
            assertThat(relay.http().get("/api/messages?for=bob").json().path("messages"))
                    .noneMatch(m -> m.path("from").asText().equals("frank"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aRequestInFlightWhenStdinClosesIsAnsweredBeforeTheServerExits() throws Exception {
        List<String> command = new ArrayList<>(Cli.command());
        command.add("mcp");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AGENT_RELAY_URL", relay.url());
        builder.environment().put("AGENT_RELAY_AGENT_ID", "gina");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream in = process.getOutputStream();
            send(in, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion", "2025-06-18",
                    "capabilities", Map.of(), "clientInfo", Map.of("name", "raw-test", "version", "1"))));
            lines.add(out.readLine());
            send(in, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
            // A long wait, then EOF at once: the answer is still owed.
            send(in, Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                    "params", Map.of("name", "wait_for_message", "arguments", Map.of("timeout_seconds", 600))));
            in.close();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(lines).hasSize(2);
        JsonNode answer = Json.mapper().readTree(lines.get(1));
        assertThat(answer.path("id").asInt()).isEqualTo(2);
        assertThat(answer.path("result").path("content").get(0).path("text").asText()).contains("\"timedOut\":true");
    }

    @Test
    void theProjectOfAGeneratedIdIsTheSessionsDirectoryNotTheServersOwn(@TempDir Path codexHome) throws Exception {
        // Codex starts its MCP servers in CODEX_HOME; the session (this JVM, standing in for Codex) runs in the project.
        List<String> command = new ArrayList<>(Cli.command());
        command.add("mcp");
        ProcessBuilder builder = new ProcessBuilder(command).directory(codexHome.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet().removeIf(key -> key.startsWith("AGENT_RELAY_"));
        builder.environment().put("AGENT_RELAY_URL", relay.url());
        builder.environment().put("AGENT_RELAY_RIG", "codex");
        Process process = builder.start();
        String instructions;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream in = process.getOutputStream();
            send(in, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of("protocolVersion", "2025-06-18",
                    "capabilities", Map.of(), "clientInfo", Map.of("name", "raw-test", "version", "1"))));
            instructions = Json.mapper().readTree(out.readLine()).path("result").path("instructions").asText();
            in.close();
        } finally {
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
        String project = io.agentrelay.cli.client.AgentIdentity.generate(Map.of(), Path.of("").toAbsolutePath(), "codex").project();

        assertThat(instructions).containsPattern("as agent '[a-z0-9-]+-codex-" + project + "-[0-9a-f]{8}'");
        assertThat(project).isNotEqualTo(codexHome.getFileName().toString());
    }

    private static void send(OutputStream in, Map<String, Object> message) throws Exception {
        in.write((Json.mapper().writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
