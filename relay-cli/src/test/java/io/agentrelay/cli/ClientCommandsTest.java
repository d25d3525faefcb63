package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.cli.client.AgentIdentity;
import io.agentrelay.server.testing.TestRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The client commands against a real relay: in this JVM, and as separate processes where only a
 * process shows what is tested (the exit statuses a script sees, the session identity).
 */
@Tag("process")
class ClientCommandsTest {
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

    private static JsonNode json(Cli.Result result) throws Exception {
        assertThat(result.out().lines().count()).as("one JSON document: %s", result).isEqualTo(1);
        return Json.mapper().readTree(result.out());
    }

    @Test
    void twoAgentsWorkThroughAClaimableRequestWithHumanReadableOutput() {
        assertThat(Cli.ok(Map.of("AGENT_RELAY_URL", relay.url()), "register", "--agent", "alice", "--tag", "review", "--cap", "java").out())
                .isEqualTo("registered alice (new, epoch 1)\n");
        assertThat(Cli.ok(as("bob"), "register", "--name", "Bob").out()).isEqualTo("registered bob (new, epoch 1)\n");
        assertThat(Cli.ok(as("bob"), "agents").out()).containsPattern("alice\\s+online\\s+alice\\s+review\\s+java")
                .containsPattern("bob\\s+online\\s+Bob");

        assertThat(Cli.ok(as("bob"), "send", "cap:java", "Review PR #42", "--claimable", "--subject", "PR 42").out())
                .isEqualTo("sent #1 to cap:java\n");
        assertThat(Cli.ok(as("alice"), "inbox").out()).contains("#1  bob → cap:java").contains("[unread, claimable]").contains("PR 42");
        assertThat(Cli.ok(as("alice"), "claim", "1").out()).startsWith("claimed #1 until ");
        assertThat(Cli.ok(as("alice"), "read", "1").out()).contains("Subject:   PR 42").contains("claimed by alice")
                .endsWith("\nReview PR #42\n");
        assertThat(Cli.ok(as("alice"), "inbox").out()).isEqualTo("no unread messages for alice\n");
        assertThat(Cli.ok(as("alice"), "inbox", "--all").out()).contains("#1  bob → cap:java").doesNotContain("unread");

        assertThat(Cli.ok(as("alice"), "reply", "1", "On it").out()).isEqualTo("replied #2 to bob (thread #1)\n");
        assertThat(Cli.ok(as("bob"), "thread", "2").out()).containsSubsequence("Review PR #42", "#2 from alice to bob", "On it");
        assertThat(Cli.ok(as("alice"), "release", "1").out()).isEqualTo("released #1\n");
        assertThat(Cli.ok(as("alice"), "heartbeat", "--status", "busy").out()).isEqualTo("alice is busy (epoch 1)\n");
        assertThat(Cli.ok(as("bob"), "status").out()).contains("ok (version").contains("2 agents").contains("you      bob: online, 1 unread");
    }

    @Test
    void jsonOutputCarriesEveryMessageFieldForScripts() throws Exception {
        Cli.ok(as("alice"), "register", "--tag", "ops");
        String[] send = {"send", "tag:ops", "-", "--json", "--kind", "task", "--subject", "disk full", "--claimable",
                "--channel", "alerts", "--max-age", "600", "--idempotency-key", "disk-1", "--meta", "severity=high",
                "--payload-json", "{\"host\":\"db1\",\"usage\":97}"};

        Cli.Result first = Cli.run(as("monitor"), "Disk on db1 is 97% full\nsecond line", send);
        Cli.Result again = Cli.run(as("monitor"), "Disk on db1 is 97% full\nsecond line", send);

        JsonNode sent = json(first);
        assertThat(sent.path("created").asBoolean()).isTrue();
        JsonNode message = sent.path("message");
        assertThat(message.path("body").asText()).isEqualTo("Disk on db1 is 97% full\nsecond line");
        assertThat(message.path("kind").asText()).isEqualTo("task");
        assertThat(message.path("subject").asText()).isEqualTo("disk full");
        assertThat(message.path("claimable").asBoolean()).isTrue();
        assertThat(message.path("channel").asText()).isEqualTo("alerts");
        assertThat(message.path("maxAgeSeconds").asInt()).isEqualTo(600);
        assertThat(message.path("meta").path("severity").asText()).isEqualTo("high");
        assertThat(message.path("payload").path("usage").asInt()).isEqualTo(97);
        assertThat(json(again).path("created").asBoolean()).isFalse();
        assertThat(json(again).path("message").path("id").asLong()).isEqualTo(message.path("id").asLong());

        JsonNode inbox = json(Cli.ok(as("alice"), "inbox", "--json"));
        assertThat(inbox.path("messages")).hasSize(1);
        assertThat(inbox.path("cursor").asLong()).isEqualTo(message.path("id").asLong());
        JsonNode empty = json(Cli.ok(as("alice"), "inbox", "--json", "--all", "--since", inbox.path("cursor").asText()));
        assertThat(empty.path("messages")).isEmpty();
        JsonNode agents = json(Cli.ok(as("alice"), "agents", "--json", "--tag", "ops"));
        assertThat(agents.path("agents").get(0).path("id").asText()).isEqualTo("alice");
    }

    @Test
    void exitCodesTellAScriptWhatWentWrong() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Result unreachable = Cli.process(Map.of("AGENT_RELAY_URL", "http://127.0.0.1:" + closedPort, "AGENT_RELAY_AGENT_ID", "a"),
                null, "status");
        assertThat(unreachable.exit()).as("%s", unreachable).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach the relay at http://127.0.0.1:" + closedPort);

        Cli.Result missing = Cli.run(as("alice"), null, "read", "999");
        assertThat(missing.exit()).as("%s", missing).isEqualTo(4);
        assertThat(missing.err()).contains("message 999 not found");

        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("carol", Map.of("tags", List.of("review")));
        relay.send("bob", "tag:review", "one taker", Map.of("claimable", true));
        Cli.ok(as("alice"), "claim", "1");
        Cli.Result taken = Cli.process(as("carol"), null, "claim", "1");
        assertThat(taken.exit()).as("%s", taken).isEqualTo(5);
        assertThat(taken.err()).contains("already claimed by alice");

        Cli.Result badKind = Cli.run(as("alice"), null, "send", "bob", "hi", "--kind", "gossip");
        assertThat(badKind.exit()).as("%s", badKind).isEqualTo(2);
        assertThat(badKind.err()).contains("--kind must be one of chat|");
        Cli.Result rejected = Cli.run(as("alice"), null, "send", "tag:", "hi");
        assertThat(rejected.exit()).as("%s", rejected).isEqualTo(2);
        assertThat(rejected.err()).contains("to");

        try (TestRelay guarded = TestRelay.start(dir.resolve("guarded"), Map.of("AGENT_RELAY_TOKEN", "s3cret"))) {
            Cli.Result denied = Cli.run(Map.of("AGENT_RELAY_URL", guarded.url(), "AGENT_RELAY_AGENT_ID", "alice",
                    "AGENT_RELAY_TOKEN", "wrong"), null, "inbox");
            assertThat(denied.exit()).as("%s", denied).isEqualTo(6);
            Cli.Result allowed = Cli.run(Map.of("AGENT_RELAY_URL", guarded.url(), "AGENT_RELAY_AGENT_ID", "alice",
                    "AGENT_RELAY_TOKEN", "s3cret"), null, "inbox");
            assertThat(allowed.exit()).as("%s", allowed).isZero();
        }
    }

    @Test
    void watchPrintsMessagesAsTheyArriveSkipsItsOwnAndStopsAfterCount() throws Exception {
        relay.register("alice", Map.of("tags", List.of("review")));
        try (Cli.Running watch = new Cli.Running(as("alice"), "watch", "--count", "2", "--timeout", "60")) {
            assertThat(watch.await(watch.err, "watching alice")).isNotNull();
            relay.send("alice", "tag:review", "my own message");
            relay.send("bob", "alice", "first for alice");
            relay.send("carol", "tag:review", "second for alice");

            assertThat(watch.awaitExit()).isZero();
            assertThat(String.join("\n", watch.out)).contains("bob → alice").contains("first for alice")
                    .contains("carol → tag:review").contains("second for alice").doesNotContain("my own message");
        }
        Cli.Result quiet = Cli.run(as("alice"), null, "watch", "--count", "1", "--timeout", "1");
        assertThat(quiet.exit()).as("%s", quiet).isEqualTo(7);
    }

    @Test
    void watchHeartbeatsSoAWatchingAgentComesBackOnlineAndStaysThere() throws Exception {
        relay.register("alice");
        relay.clock().advance(java.time.Duration.ofSeconds(61));
        relay.reap();
        assertThat(relay.http().get("/api/agents/alice").json().get("status").asText()).isEqualTo("stale");
        long head = relay.http().get("/api/events?limit=1").json().get("lastEventId").asLong();

        // Its own presence is among the events that concern it: the heartbeat's agent.status shows.
        Cli.Result watched = Cli.run(as("alice"), null, "watch", "--all-events", "--count", "1", "--timeout", "60",
                "--since-event", Long.toString(head));

        assertThat(watched.exit()).as("%s", watched).isZero();
        assertThat(watched.out()).isEqualTo("agent alice is online\n");
    }

    @Test
    void ifAbsentRegistersAgainKeepingTheCardWhenAnOrchestratorStartedTheProcess() throws Exception {
        Cli.ok(as("worker-1"), "register", "--name", "Worker from MCP", "--tag", "backend", "--meta", "client=mcp");
        int registrations = relay.http().get("/api/events?types=agent.registered").json().path("events").size();

        assertThat(Cli.ok(as("worker-1"), "register", "--if-absent").out()).startsWith("already registered worker-1");
        assertThat(relay.http().get("/api/events?types=agent.registered").json().path("events").size())
                .as("no orchestrator: a heartbeat only").isEqualTo(registrations);

        Map<String, String> env = new HashMap<>(as("worker-1"));
        env.put("AGENT_RELAY_POLICY", "nightly");
        env.put("AGENT_RELAY_SPAWN_REQUEST_ID", "sp_43");
        assertThat(Cli.ok(env, "register", "--if-absent").out()).startsWith("registered worker-1 again for its orchestrator");

        JsonNode card = relay.http().get("/api/agents/worker-1").json();
        assertThat(card.path("name").asText()).as("the card stays as the other process made it").isEqualTo("Worker from MCP");
        assertThat(card.path("tags").toString()).isEqualTo("[\"backend\"]");
        assertThat(card.path("meta").path("client").asText()).isEqualTo("mcp");
        assertThat(card.path("meta").path("policyName").asText()).isEqualTo("nightly");
        assertThat(card.path("meta").path("spawnRequestId").asText()).isEqualTo("sp_43");
        assertThat(relay.http().get("/api/events?types=agent.registered").json().path("events").size())
                .as("a registration, which a spawn policy's hook sees").isEqualTo(registrations + 1);
    }

    @Test
    void anAgentStartedByAnOrchestratorRegistersWithWhatItWasToldInItsMeta() throws Exception {
        Map<String, String> env = new HashMap<>(as("host1-claude-0a1b2c3d"));
        env.put("AGENT_RELAY_ORCHESTRATOR_ID", "host1");
        env.put("AGENT_RELAY_POLICY", "nightly");
        env.put("AGENT_RELAY_SPAWN_REQUEST_ID", "sp_42");
        env.put("AGENT_RELAY_POOL", "fixers");

        Cli.ok(env, "register", "--meta", "team=build");

        JsonNode meta = relay.http().get("/api/agents/host1-claude-0a1b2c3d").json().path("meta");
        assertThat(meta.path("orchestratorId").asText()).isEqualTo("host1");
        assertThat(meta.path("policyName").asText()).isEqualTo("nightly");
        assertThat(meta.path("spawnRequestId").asText()).isEqualTo("sp_42");
        assertThat(meta.path("pool").asText()).isEqualTo("fixers");
        assertThat(meta.path("team").asText()).isEqualTo("build");
    }

    @Test
    void registeringAgainWithoutFlagsKeepsTheCardAndReplaceResetsIt() throws Exception {
        Cli.ok(as("alice"), "register", "--cap", "review", "--tag", "qa", "--label", "test writer");
        Cli.ok(as("alice"), "register");
        JsonNode kept = relay.http().get("/api/agents/alice").json();
        assertThat(kept.path("capabilities")).extracting(JsonNode::asText).as("cap:review still reaches her").containsExactly("review");
        assertThat(kept.path("tags")).extracting(JsonNode::asText).containsExactly("qa");
        assertThat(kept.path("label").asText()).isEqualTo("test writer");

        Cli.ok(as("alice"), "register", "--replace");
        JsonNode replaced = relay.http().get("/api/agents/alice").json();
        assertThat(replaced.path("tags")).isEmpty();
        assertThat(replaced.path("capabilities")).extracting(JsonNode::asText).as("the default again").containsExactly("chat");

        Cli.ok(as("bob"), "register");
        assertThat(relay.http().get("/api/agents/bob").json().path("capabilities")).extracting(JsonNode::asText)
                .as("a new agent can chat, as with the TypeScript plugin").containsExactly("chat");
    }

    @Test
    void aMissingOrWrongTokenIsExplainedByTheVariableToSetAndTheRelayTried(@TempDir Path other) {
        try (TestRelay guarded = TestRelay.start(other, Map.of("AGENT_RELAY_TOKEN", "the-right-token"))) {
            Cli.Result missing = Cli.run(Cli.as(guarded.url(), "alice"), null, "inbox");
            Map<String, String> wrongToken = new HashMap<>(Cli.as(guarded.url(), "alice"));
            wrongToken.put("AGENT_RELAY_TOKEN", "a-wrong-token");
            Cli.Result wrong = Cli.run(wrongToken, null, "inbox");

            assertThat(missing.exit()).as("%s", missing).isEqualTo(6);
            assertThat(missing.err()).contains("the relay at " + guarded.url() + " needs a token")
                    .contains("AGENT_RELAY_TOKEN").doesNotContain("Authorization");
            assertThat(wrong.exit()).isEqualTo(6);
            assertThat(wrong.err()).contains("refused the token in AGENT_RELAY_TOKEN");
        }
        Cli.Result down = Cli.run(Cli.as("http://127.0.0.1:1", "alice"), null, "inbox");
        assertThat(down.exit()).isEqualTo(3);
        assertThat(down.err()).contains("http://127.0.0.1:1").contains("agent-relay serve").contains("AGENT_RELAY_URL");
    }

    @Test
    void withoutAnAgentIdCommandsUseTheGeneratedOneWhichFollowsTheScheme() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_RELAY_URL", relay.url());
        env.put("AGENT_RELAY_RIG", "claude");
        env.put("AGENT_RELAY_PROJECT", "My Project!");
        JsonNode id = json(Cli.processOk(env, "id", "--json"));
        String generated = id.path("id").asText();

        assertThat(id.path("source").asText()).isEqualTo("generated");
        assertThat(generated).matches("[a-z0-9-]+-claude-my-project-[0-9a-f]{8}");
        // Same session (this test's JVM owns both processes), same id: that is how a hook and an MCP server agree.
        assertThat(Cli.processOk(env, "id").out().trim()).isEqualTo(generated);
        assertThat(Cli.processOk(env, "register").out()).isEqualTo("registered " + generated + " (new, epoch 1)\n");

        // The rest does not depend on which process asks: in this JVM.
        env.put("AGENT_RELAY_SESSION", "session-1");
        String keyed = Cli.ok(env, "id").out().trim();
        assertThat(keyed).isEqualTo(AgentIdentity.generate(env, Path.of("."), "shell").id()).isNotEqualTo(generated);
        env.put("AGENT_RELAY_AGENT_ID", "explicit");
        assertThat(Cli.ok(env, "id").out()).isEqualTo("explicit\n");
        assertThat(Cli.ok(env, "id", "--agent", "flag").out()).isEqualTo("flag\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("serve", "status", "id", "register", "heartbeat", "agents", "send", "inbox", "read",
                "reply", "thread", "claim", "release", "watch", "mcp")) {
            StringWriter text = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(text));
            assertThat(commandLine.execute(command, "--help")).as(command).isZero();
            assertThat(text.toString()).as(command).startsWith("Usage: agent-relay " + command);
        }
    }
}
