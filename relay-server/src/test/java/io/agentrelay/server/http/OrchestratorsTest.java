package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/orchestrators}: registration with its inbox agent, heartbeats and the reaper, managed
 * agents, spawn (the {@code cwd} rule) and restart/shutdown requests, deletion, and the events of
 * each, with the TypeScript server's status codes and error texts.
 */
class OrchestratorsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration STALE_TTL = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis())));
        http = relay.http();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Http.Response spawn(String id, Map<String, Object> body) {
        return http.post("/api/orchestrators/" + id + "/spawn", body);
    }

    private static void refused(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void registeringAnswers201WithTheOrchestratorAndBringsItsInboxAgentOnline() {
        long now = relay.clock().millis();
        Http.Response created = http.post("/api/orchestrators", Map.of("id", "o1", "hostname", "build-1",
                "baseDir", "/srv/work/", "envKeys", List.of("ANTHROPIC_API_KEY"), "meta", Map.of("slots", 4),
                "apiUrl", "http://10.0.0.5:4860"));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode o = created.json();
        assertThat(o.get("id").asText()).isEqualTo("o1");
        assertThat(o.get("hostname").asText()).isEqualTo("build-1");
        assertThat(o.get("baseDir").asText()).as("normalised").isEqualTo("/srv/work");
        assertThat(JsonLists.strings(o.get("providers"))).containsExactly("claude", "codex");
        assertThat(JsonLists.strings(o.get("envKeys"))).containsExactly("ANTHROPIC_API_KEY");
        assertThat(o.get("meta").get("slots").asInt()).isEqualTo(4);
        assertThat(o.get("apiUrl").asText()).isEqualTo("http://10.0.0.5:4860");
        assertThat(o.get("agentId").asText()).isEqualTo("orchestrator-o1");
        assertThat(o.get("agents")).isEmpty();
        assertThat(o.get("status").asText()).isEqualTo("online");
        assertThat(o.get("lastSeenAt").asLong()).isEqualTo(now);
        assertThat(o.get("createdAt").asLong()).isEqualTo(now);
        JsonNode inbox = http.get("/api/agents/orchestrator-o1").json();
        assertThat(inbox.get("kind").asText()).isEqualTo("orchestrator");
        assertThat(inbox.get("name").asText()).isEqualTo("build-1");
        assertThat(inbox.get("status").asText()).isEqualTo("online");

        assertThat(http.get("/api/orchestrators/o1").json()).isEqualTo(o);
        assertThat(http.get("/api/orchestrators").json()).as("a bare array").containsExactly(o);
        JsonNode event = relay.events("orchestrator.status").get(0);
        assertThat(event.get("data")).isEqualTo(o);
        assertThat(event.get("source").asText()).isEqualTo("server");
        assertThat(event.get("subject").asText()).isEqualTo("o1");
        assertThat(event.get("scope").get("agentId").asText()).isEqualTo("orchestrator-o1");
        refused(http.get("/api/orchestrators/nope"), 404, "orchestrator not found");
    }

    @Test
    void registeringAgainIsAnUpsertThatKeepsTheManagedAgentsAndAnExistingInboxCard() {
        relay.register("inbox", Map.of("kind", "user", "tags", List.of("ops"), "label", "night shift"));
        relay.registerOrchestrator("o1", "/srv", Map.of("agentId", "inbox", "providers", List.of("codex")));
        assertThat(http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of(
                Map.of("provider", "codex", "tmuxSession", "s1", "cwd", "/srv/a")))).status()).isEqualTo(200);
        long created = relay.clock().millis();
        relay.clock().advance(Duration.ofSeconds(5));

        Http.Response again = http.post("/api/orchestrators", Map.of("id", "o1", "hostname", "build-2", "baseDir", "/home/ci",
                "agentId", "inbox", "providers", List.of("claude", "claude")));

        assertThat(again.status()).as("201 again, as the TypeScript server answers").isEqualTo(201);
        assertThat(again.json().get("hostname").asText()).isEqualTo("build-2");
        assertThat(JsonLists.strings(again.json().get("providers"))).containsExactly("claude");
        assertThat(again.json().get("createdAt").asLong()).isEqualTo(created);
        assertThat(again.json().get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(again.json().get("agents").get(0).get("tmuxSession").asText()).isEqualTo("s1");
        JsonNode inbox = http.get("/api/agents/inbox").json();
        assertThat(inbox.get("kind").asText()).as("the existing card is not rewritten").isEqualTo("user");
        assertThat(JsonLists.strings(inbox.get("tags"))).containsExactly("ops");
        assertThat(inbox.get("label").asText()).isEqualTo("night shift");
        assertThat(http.get("/api/orchestrators").json()).hasSize(1);
    }

    @Test
    void anInboxAgentBelongsToOneOrchestrator() {
        relay.registerOrchestrator("o1", "/srv", Map.of());

        Http.Response taken = http.post("/api/orchestrators", Map.of("id", "o2", "hostname", "h", "baseDir", "/srv",
                "agentId", "orchestrator-o1"));

        refused(taken, 409, "agent orchestrator-o1 is already the inbox of orchestrator o1");
        assertThat(taken.json().get("orchestratorId").asText()).isEqualTo("o1");
        refused(http.get("/api/orchestrators/o2"), 404, "orchestrator not found");
    }

    @Test
    void badRegistrationsAre400sNamingTheFieldAndWriteNothing() {
        long before = relay.http().get("/api/events").json().get("lastEventId").asLong();
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(Map.of("hostname", "h", "baseDir", "/srv"), "id is required");
        cases.put(Map.of("id", "has space", "hostname", "h", "baseDir", "/srv"), "id must not contain whitespace (only a label: name may have spaces)");
        cases.put(Map.of("id", "tag:x", "hostname", "h", "baseDir", "/srv"), "id must be an agent id, not the target 'tag:x'");
        cases.put(Map.of("id", "o".repeat(121), "hostname", "h", "baseDir", "/srv"), "id must be at most 120 characters");
        cases.put(Map.of("id", "o1", "baseDir", "/srv"), "hostname is required");
        cases.put(Map.of("id", "o1", "hostname", "h".repeat(121), "baseDir", "/srv"), "hostname must be at most 120 characters");
        cases.put(Map.of("id", "o1", "hostname", "h"), "baseDir is required");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "srv/work"),
                "baseDir must be an absolute path (starting with /), got 'srv/work'");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/" + "d".repeat(500)), "baseDir must be at most 500 characters");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "providers", List.of("claude", "gemini")),
                "invalid provider: gemini. Must be one of: claude, codex");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "providers", "claude"),
                "providers must be an array of strings");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "envKeys", List.of("A B")),
                "envKeys entries must not contain whitespace");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "meta", List.of()), "meta must be a JSON object");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "apiUrl", "ftp://x"),
                "apiUrl must be an http:// or https:// URL");
        cases.put(Map.of("id", "o1", "hostname", "h", "baseDir", "/srv", "agentId", "tag:x"),
                "agentId must be an agent id, not the target 'tag:x'");
        cases.put("[1, 2]", "body required");
        cases.put("{\"id\":", "body is not valid JSON (line 1, column 7)");
        cases.forEach((body, error) -> refused(http.post("/api/orchestrators", body), 400, error));

        assertThat(http.get("/api/orchestrators").json()).isEmpty();
        assertThat(http.get("/api/agents").json().get("agents")).as("no inbox agent either").isEmpty();
        assertThat(http.get("/api/events?after=" + before).json().get("events")).isEmpty();
    }

    @Test
    void heartbeatsKeepAnOrchestratorOnlineAndTheReaperMarksASilentOneOffline() {
        relay.registerOrchestrator("o1", "/srv", Map.of());
        relay.registerOrchestrator("o2", "/srv", Map.of());
        relay.clock().advance(STALE_TTL);
        Http.Response beat = http.post("/api/orchestrators/o2/heartbeat", null);
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json()).isEqualTo(relay.http().post("/api/orchestrators/o2/heartbeat", Map.of()).json());
        assertThat(beat.text()).isEqualTo("{\"ok\":true}");
        assertThat(relay.events("orchestrator.status")).as("a heartbeat of an online orchestrator is not an event")
                .hasSize(2);
        relay.clock().advance(Duration.ofMillis(1));

        JsonNode report = relay.reap();

        assertThat(JsonLists.strings(report.get("reapedOrchestratorIds"))).containsExactly("o1");
        assertThat(http.get("/api/orchestrators/o1").json().get("status").asText()).isEqualTo("offline");
        assertThat(http.get("/api/orchestrators/o2").json().get("status").asText()).isEqualTo("online");
        JsonNode offline = relay.events("orchestrator.status").get(2);
        assertThat(offline.get("data").get("status").asText()).isEqualTo("offline");
        assertThat(offline.get("source").asText()).isEqualTo("server");
        JsonNode audit = http.get("/api/activity?limit=1").json().get("activity").get(0);
        assertThat(audit.get("title").asText()).isEqualTo("Maintenance reaper run");
        assertThat(audit.get("body").asText()).as("its inbox agent went stale too")
                .isEqualTo("1 stale agent(s), 1 stale orchestrator(s), 0 message claim(s), "
                + "0 task claim(s), 0 queued message(s), 0 command(s)");
        assertThat(JsonLists.strings(relay.reap().get("reapedOrchestratorIds"))).as("once").isEmpty();
        refused(spawn("o1", Map.of("provider", "claude")), 409, "orchestrator is offline");

        assertThat(http.post("/api/orchestrators/o1/heartbeat", null).status()).isEqualTo(200);
        JsonNode back = http.get("/api/orchestrators/o1").json();
        assertThat(back.get("status").asText()).isEqualTo("online");
        assertThat(back.get("lastSeenAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(relay.events("orchestrator.status")).last().satisfies(e ->
                assertThat(e.get("data").get("status").asText()).isEqualTo("online"));
        assertThat(http.get("/api/agents/orchestrator-o1").json().get("lastSeenAt").asLong())
                .as("the heartbeat touches the inbox agent too").isEqualTo(relay.clock().millis());
        refused(http.post("/api/orchestrators/nope/heartbeat", null), 404, "orchestrator not found");
    }

    @Test
    void aHeartbeatRegistersTheInboxAgentAgainWhenItWasRemoved() {
        relay.registerOrchestrator("o1", "/srv", Map.of());
        assertThat(http.delete("/api/agents/orchestrator-o1").status()).isEqualTo(200);

        assertThat(http.post("/api/orchestrators/o1/heartbeat", null).status()).isEqualTo(200);

        assertThat(http.get("/api/agents/orchestrator-o1").json().get("kind").asText()).isEqualTo("orchestrator");
    }

    @Test
    void reportedManagedAgentsReplaceTheListWithTheSourcesDefaults() {
        relay.registerOrchestrator("o1", "/srv", Map.of());
        relay.clock().advance(Duration.ofSeconds(1));
        long now = relay.clock().millis();
        Map<String, Object> full = new HashMap<>();
        full.put("agentId", "o1-claude-1");
        full.put("provider", "claude");
        full.put("tmuxSession", "relay-1");
        full.put("cwd", "/srv/api");
        full.put("label", " api fixer ");
        full.put("approvalMode", "read-only");
        full.put("pid", 4242);
        full.put("startedAt", 1_000);

        Http.Response patched = http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of(full,
                Map.of("provider", "codex", "tmuxSession", "relay-2", "cwd", "/srv"))));

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        JsonNode agents = patched.json().get("agents");
        assertThat(agents).hasSize(2);
        assertThat(agents.get(0).get("agentId").asText()).isEqualTo("o1-claude-1");
        assertThat(agents.get(0).get("label").asText()).isEqualTo("api fixer");
        assertThat(agents.get(0).get("approvalMode").asText()).isEqualTo("read-only");
        assertThat(agents.get(0).get("pid").asLong()).isEqualTo(4242);
        assertThat(agents.get(0).get("startedAt").asLong()).isEqualTo(1_000);
        assertThat(agents.get(1).get("agentId").asText()).isEmpty();
        assertThat(agents.get(1).get("approvalMode").asText()).isEqualTo("guarded");
        assertThat(agents.get(1).get("pid").isNull()).isTrue();
        assertThat(agents.get(1).get("startedAt").asLong()).isEqualTo(now);
        assertThat(patched.json().get("updatedAt").asLong()).isEqualTo(now);
        assertThat(http.get("/api/orchestrators/o1").json()).isEqualTo(patched.json());
        assertThat(relay.events("orchestrator.status")).last().satisfies(e -> assertThat(e.get("data")).isEqualTo(patched.json()));

        assertThat(http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of())).json().get("agents")).isEmpty();
    }

    @Test
    void badManagedAgentReportsAre400sAfterThe404AndChangeNothing() {
        relay.registerOrchestrator("o1", "/srv", Map.of());
        http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of(
                Map.of("provider", "claude", "tmuxSession", "keep", "cwd", "/srv"))));
        int events = relay.events("orchestrator.status").size();

        refused(http.patch("/api/orchestrators/nope/agents", "[1]"), 404, "orchestrator not found");
        refused(http.patch("/api/orchestrators/nope/agents", "not json"), 404, "orchestrator not found");
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(Map.of(), "agents must be an array");
        cases.put(Map.of("agents", "all"), "agents must be an array");
        cases.put(Map.of("agents", List.of(1)), "each agent must be an object");
        cases.put("[1]", "body required");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "cwd", "/srv"))), "agents[0].tmuxSession is required");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t", "cwd", "/srv"),
                Map.of("tmuxSession", "t", "cwd", "/srv"))), "agents[1].provider is required");
        cases.put(Map.of("agents", List.of(Map.of("provider", "gpt", "tmuxSession", "t", "cwd", "/srv"))),
                "invalid provider: gpt. Must be one of: claude, codex");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t"))), "agents[0].cwd is required");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t".repeat(241), "cwd", "/srv"))),
                "agents[0].tmuxSession must be at most 240 characters");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t", "cwd", "/srv", "pid", -1))),
                "agents[0].pid must be between 0 and 9007199254740991");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t", "cwd", "/srv", "pid", "12"))),
                "agents[0].pid must be a whole number");
        cases.put(Map.of("agents", List.of(Map.of("provider", "claude", "tmuxSession", "t", "cwd", "/srv",
                "approvalMode", "yolo"))), "agents[0].approvalMode must be one of open|guarded|read-only, got 'yolo'");
        cases.forEach((body, error) -> refused(http.patch("/api/orchestrators/o1/agents", body), 400, error));
        assertThat(http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of(
                Map.of("provider", "gpt", "tmuxSession", "t", "cwd", "/srv")))).json().get("field").asText())
                .isEqualTo("agents[0].provider");

        assertThat(http.get("/api/orchestrators/o1").json().get("agents").get(0).get("tmuxSession").asText()).isEqualTo("keep");
        assertThat(relay.events("orchestrator.status")).hasSize(events);
    }

    @Test
    void aSpawnMakesAPendingCommandForTheInboxAgentWithTheSourcesParams() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of("providers", List.of("claude")));
        long now = relay.clock().millis();
        Map<String, Object> body = new HashMap<>();
        body.put("provider", "claude");
        body.put("cwd", "/srv/work/api");
        body.put("label", "api fixer");
        body.put("prompt", "Fix the flaky test");
        body.put("tags", List.of("backend"));
        body.put("capabilities", List.of("java"));
        body.put("providerArgs", List.of("--model", "opus"));
        body.put("policyName", "backend-pool");
        body.put("spawnRequestId", "req-1");

        Http.Response accepted = spawn("o1", body);

        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(accepted.json().get("ok").asBoolean()).isTrue();
        JsonNode command = accepted.json().get("command");
        assertThat(command.get("id").asLong()).isPositive();
        assertThat(command.get("type").asText()).isEqualTo("agent.spawn");
        assertThat(command.get("source").asText()).isEqualTo("system");
        assertThat(command.get("target").asText()).isEqualTo("orchestrator-o1");
        assertThat(command.get("correlationId").asText()).isEqualTo("req-1");
        assertThat(command.get("status").asText()).isEqualTo("pending");
        assertThat(command.get("createdAt").asLong()).isEqualTo(now);
        assertThat(command.get("expiresAt").asLong()).as("the default AGENT_RELAY_COMMAND_TTL_MS").isEqualTo(now + 600_000);
        assertThat(command.get("claimedBy").isNull()).isTrue();
        JsonNode params = command.get("params");
        assertThat(params.get("action").asText()).isEqualTo("spawn");
        assertThat(params.get("provider").asText()).isEqualTo("claude");
        assertThat(params.get("cwd").asText()).isEqualTo("/srv/work/api");
        assertThat(params.get("label").asText()).isEqualTo("api fixer");
        assertThat(params.get("approvalMode").asText()).isEqualTo("guarded");
        assertThat(params.get("permissionMode").asText()).isEqualTo("guarded");
        assertThat(JsonLists.strings(params.get("providerArgs"))).containsExactly("--model", "opus");
        assertThat(JsonLists.strings(params.get("tags"))).containsExactly("backend");
        assertThat(JsonLists.strings(params.get("capabilities"))).containsExactly("java");
        assertThat(params.get("prompt").asText()).isEqualTo("Fix the flaky test");
        assertThat(params.get("policyName").asText()).isEqualTo("backend-pool");
        assertThat(params.get("spawnRequestId").asText()).isEqualTo("req-1");
        assertThat(params.get("requestedBy").asText()).isEqualTo("dashboard");
        assertThat(params.get("requestedAt").asLong()).isEqualTo(now);
        assertThat(params.get("orchestratorId").asText()).isEqualTo("o1");

        assertThat(http.get("/api/commands/" + command.get("id").asLong()).json()).isEqualTo(command);
        JsonNode created = relay.events("command.created").get(0);
        assertThat(created.get("data")).isEqualTo(command);
        assertThat(created.get("source").asText()).isEqualTo("server");
        assertThat(created.get("subject").asText()).isEqualTo(command.get("id").asText());
        assertThat(created.get("scope").get("target").asText()).isEqualTo("orchestrator-o1");

        JsonNode minimal = spawn("o1", Map.of("provider", "claude", "requestedBy", "ci")).json().get("command");
        assertThat(minimal.get("params").get("cwd").asText()).as("the base folder").isEqualTo("/srv/work");
        assertThat(minimal.get("params").get("providerArgs")).isEmpty();
        assertThat(minimal.get("params").has("label")).isFalse();
        assertThat(minimal.get("params").get("requestedBy").asText()).isEqualTo("ci");
        assertThat(minimal.get("correlationId").isNull()).isTrue();
    }

    @Test
    void aSpawnsCwdMustLieInsideTheBaseFolderByItsText() {
        relay.registerOrchestrator("o1", "/base", Map.of());
        String outside = "cwd must be within orchestrator base directory: /base";
        Map<String, String> inside = new LinkedHashMap<>();
        inside.put("/base", "/base");
        inside.put("/base/", "/base");
        inside.put("/base/sub/./x/", "/base/sub/x");
        inside.put("/base//sub", "/base/sub");
        inside.put("/base/../base/y", "/base/y");
        inside.put("/base/a/..", "/base");
        inside.forEach((cwd, normalised) -> {
            Http.Response response = spawn("o1", Map.of("provider", "claude", "cwd", cwd));
            assertThat(response.status()).as(cwd + ": " + response.text()).isEqualTo(202);
            assertThat(response.json().get("command").get("params").get("cwd").asText()).as(cwd).isEqualTo(normalised);
        });
        for (String cwd : List.of("/base/../etc", "/base/..", "/base-other", "/base-other/x", "/bas", "/", "/etc/passwd",
                "relative/path", "base", "./base", "../base", "/base/x/../../base-other", "/base/../../..")) {
            Http.Response response = spawn("o1", Map.of("provider", "claude", "cwd", cwd));
            refused(response, 400, outside);
            assertThat(response.json().get("field").asText()).isEqualTo("cwd");
        }
        refused(spawn("o1", Map.of("provider", "claude", "cwd", "/base/a\u0000b")), 400,
                "cwd must not hold the NUL character (\\u0000)");
        refused(spawn("o1", Map.of("provider", "claude", "cwd", "/base/" + "d".repeat(500))), 400,
                "cwd must be at most 500 characters");

        relay.registerOrchestrator("root", "/", Map.of());
        assertThat(spawn("root", Map.of("provider", "claude", "cwd", "/anywhere/../at/all")).json().get("command")
                .get("params").get("cwd").asText()).isEqualTo("/at/all");
    }

    @Test
    void aSpawnIsRefused404ThenOfflineThenForItsBodyThenForTheProvider() {
        relay.registerOrchestrator("o1", "/srv", Map.of("providers", List.of("claude")));
        relay.registerOrchestrator("quiet", "/srv", Map.of());
        relay.clock().advance(STALE_TTL.plusMillis(1));
        http.post("/api/orchestrators/o1/heartbeat", null);
        relay.reap();

        refused(spawn("nope", Map.of("provider", "gpt")), 404, "orchestrator not found");
        refused(http.post("/api/orchestrators/nope/spawn", "[1]"), 404, "orchestrator not found");
        refused(spawn("quiet", Map.of("provider", "gpt")), 409, "orchestrator is offline");
        assertThat(spawn("quiet", Map.of("provider", "claude")).json().get("status").asText()).isEqualTo("offline");
        Map<Object, String> cases = new LinkedHashMap<>();
        cases.put(Map.of(), "provider is required (claude or codex)");
        cases.put("[1]", "body required");
        cases.put(Map.of("provider", "gpt"), "invalid provider: gpt. Must be one of: claude, codex");
        cases.put(Map.of("provider", "codex"), "orchestrator does not support provider: codex");
        cases.put(Map.of("provider", "claude", "label", "l".repeat(121)), "label must be at most 120 characters");
        cases.put(Map.of("provider", "claude", "prompt", "p".repeat(4_001)), "prompt must be at most 4000 characters");
        cases.put(Map.of("provider", "claude", "approvalMode", "yolo"), "approvalMode must be one of open|guarded|read-only, got 'yolo'");
        cases.put(Map.of("provider", "claude", "policyName", "p".repeat(121)), "policyName must be at most 120 characters");
        cases.put(Map.of("provider", "claude", "spawnRequestId", "r".repeat(161)),
                "spawnRequestId must be at most 160 characters");
        cases.put(Map.of("provider", "claude", "providerArgs", List.of(1)), "providerArgs must be an array of strings");
        cases.put(Map.of("provider", "claude", "tags", List.of("two words")), "tags entries must not contain whitespace");
        cases.put(Map.of("provider", "claude", "capabilities", "java"), "capabilities must be an array of strings");
        cases.forEach((body, error) -> refused(http.post("/api/orchestrators/o1/spawn", body), 400, error));

        assertThat(http.get("/api/commands").json()).as("no command was made").isEmpty();
        assertThat(relay.events("command.created")).isEmpty();
    }

    @Test
    void actionsMakeRestartAndShutdownCommandsForTheInboxAgent() {
        relay.registerOrchestrator("o1", "/srv", Map.of());
        long now = relay.clock().millis();

        Http.Response restart = http.post("/api/orchestrators/o1/actions", Map.of("action", "restart",
                "agentId", "o1-claude-1", "tmuxSession", "relay-1", "spawnRequestId", "req-9", "policyName", "pool"));
        Http.Response shutdown = http.post("/api/orchestrators/o1/actions", Map.of("action", "shutdown", "reason", "night"));

        assertThat(restart.status()).as(restart.text()).isEqualTo(202);
        JsonNode command = restart.json().get("command");
        assertThat(command.get("type").asText()).isEqualTo("agent.restart");
        assertThat(command.get("target").asText()).as("the executor, not the managed agent").isEqualTo("orchestrator-o1");
        assertThat(command.get("correlationId").asText()).isEqualTo("req-9");
        JsonNode params = command.get("params");
        assertThat(params.get("action").asText()).isEqualTo("restart");
        assertThat(params.get("agentId").asText()).isEqualTo("o1-claude-1");
        assertThat(params.get("tmuxSession").asText()).isEqualTo("relay-1");
        assertThat(params.get("policyName").asText()).isEqualTo("pool");
        assertThat(params.get("reason").asText()).isEqualTo("manual");
        assertThat(params.get("requestedBy").asText()).isEqualTo("dashboard");
        assertThat(params.get("requestedAt").asLong()).isEqualTo(now);
        assertThat(params.get("orchestratorId").asText()).isEqualTo("o1");
        assertThat(shutdown.status()).isEqualTo(202);
        assertThat(shutdown.json().get("command").get("type").asText()).isEqualTo("agent.shutdown");
        assertThat(shutdown.json().get("command").get("params").has("agentId")).as("all managed agents").isFalse();
        assertThat(shutdown.json().get("command").get("params").get("reason").asText()).isEqualTo("night");
        assertThat(relay.events("command.created")).hasSize(2);

        refused(http.post("/api/orchestrators/nope/actions", Map.of()), 404, "orchestrator not found");
        refused(http.post("/api/orchestrators/o1/actions", Map.of()), 400, "action required");
        refused(http.post("/api/orchestrators/o1/actions", Map.of("action", "reboot")), 400,
                "action must be one of restart|shutdown, got 'reboot'");
        refused(http.post("/api/orchestrators/o1/actions", Map.of("action", "restart", "reason", "r".repeat(201))), 400,
                "reason must be at most 200 characters");
        refused(http.post("/api/orchestrators/o1/actions", Map.of("action", "restart", "agentId", "a".repeat(241))), 400,
                "agentId must be at most 240 characters");
        assertThat(http.get("/api/commands").json()).hasSize(2);
    }

    @Test
    void deletingAnOrchestratorRemovesItWithAnEventAndKeepsItsInboxAgent() {
        relay.registerOrchestrator("o1", "/srv", Map.of());

        Http.Response deleted = http.delete("/api/orchestrators/o1");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.text()).isEqualTo("{\"ok\":true}");
        refused(http.get("/api/orchestrators/o1"), 404, "orchestrator not found");
        refused(http.delete("/api/orchestrators/o1"), 404, "orchestrator not found");
        JsonNode removed = relay.events("orchestrator.removed").get(0);
        assertThat(removed.get("data").get("orchestratorId").asText()).isEqualTo("o1");
        assertThat(removed.get("data").get("agentId").asText()).isEqualTo("orchestrator-o1");
        assertThat(removed.get("data").get("reason").asText()).isEqualTo("deleted");
        assertThat(removed.get("scope").get("agentId").asText()).isEqualTo("orchestrator-o1");
        assertThat(http.get("/api/agents/orchestrator-o1").status()).isEqualTo(200);
        relay.registerOrchestrator("o2", "/srv", Map.of("agentId", "orchestrator-o1"));
    }

    @Test
    void theActivityFeedShowsOrchestratorsAndTheirRequests() {
        relay.registerOrchestrator("o1", "/srv", Map.of("hostname", "build-1"));
        spawn("o1", Map.of("provider", "claude", "cwd", "/srv/api"));
        http.post("/api/orchestrators/o1/actions", Map.of("action", "shutdown"));
        http.delete("/api/orchestrators/o1");

        List<JsonNode> items = JsonLists.nodes(http.get("/api/activity?limit=10").json().get("activity"));

        assertThat(items).extracting(i -> i.get("title").asText()).containsSubsequence("Orchestrator removed",
                "Agent shutdown requested", "Agent spawn requested", "Orchestrator registered");
        JsonNode registered = items.stream().filter(i -> i.get("title").asText().equals("Orchestrator registered"))
                .findFirst().orElseThrow();
        assertThat(registered.get("body").asText()).isEqualTo("build-1 (o1), 0 managed agent(s)");
        assertThat(registered.get("view").asText()).isEqualTo("orchestrators");
        assertThat(registered.get("icon").asText()).isEqualTo("ti-server-2");
        assertThat(registered.get("metadata").get("orchestratorId").asText()).isEqualTo("o1");
        JsonNode spawned = items.stream().filter(i -> i.get("title").asText().equals("Agent spawn requested"))
                .findFirst().orElseThrow();
        assertThat(spawned.get("body").asText()).isEqualTo("claude in /srv/api via orchestrator-o1");
        assertThat(spawned.get("icon").asText()).isEqualTo("ti-rocket");
        JsonNode shutdown = items.stream().filter(i -> i.get("title").asText().equals("Agent shutdown requested"))
                .findFirst().orElseThrow();
        assertThat(shutdown.get("body").asText()).isEqualTo("all managed agents via orchestrator-o1");
    }

    @Test
    void orchestratorEventsReachTheInboxAgentsStreamAndUnfilteredStreamsButNoOtherAgents() throws Exception {
        relay.register("bob");
        try (SseClient inbox = SseClient.open(relay.url(), "/api/events/stream?agentId=orchestrator-o1", Map.of());
             SseClient everything = SseClient.open(relay.url(), "/api/events/stream", Map.of());
             SseClient bob = SseClient.open(relay.url(), "/api/events/stream?agentId=bob", Map.of())) {
            relay.registerOrchestrator("o1", "/srv", Map.of());
            http.patch("/api/orchestrators/o1/agents", Map.of("agents", List.of()));
            http.delete("/api/orchestrators/o1");
            relay.send("carol", "bob", "sentinel");

            for (SseClient stream : List.of(inbox, everything)) {
                List<SseClient.Frame> frames = stream.events(4, WAIT);
                assertThat(frames).extracting(SseClient.Frame::event).containsExactly("agent.registered",
                        "orchestrator.status", "orchestrator.status", "orchestrator.removed");
            }
            assertThat(bob.nextEvent(WAIT).data().get("data").get("body").asText())
                    .as("bob's first event is the sentinel").isEqualTo("sentinel");
        }
    }
}
