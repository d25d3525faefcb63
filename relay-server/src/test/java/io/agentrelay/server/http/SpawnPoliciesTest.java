package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/spawn-policies} and {@code /api/spawn-policy/:name}: policies as config entries
 * (checked by one rule on both write routes), the managed-agent state and its
 * {@code policy.state.changed} events, the commands start, stop, restart and delete make, the
 * registration hook, and the supervisor following command outcomes and the reaper.
 */
class SpawnPoliciesTest {
    static final Duration STALE_TTL = Duration.ofSeconds(30);
    static final Duration COMMAND_TTL = Duration.ofMinutes(2);
    static final String EXECUTOR = "orchestrator-o1";

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis()),
                "AGENT_RELAY_COMMAND_TTL_MS", Long.toString(COMMAND_TTL.toMillis())));
        http = relay.http();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static Map<String, Object> policy(Map<String, Object> overrides) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("orchestratorId", "o1");
        policy.put("provider", "claude");
        policy.put("cwd", "/srv/work/api/");
        policy.put("label", "api fixer");
        policy.put("tags", List.of("backend"));
        policy.put("capabilities", List.of("fix"));
        policy.put("permissionMode", "open");
        policy.put("providerArgs", List.of("--verbose"));
        policy.put("prompt", "fix the failing tests");
        policy.put("pool", "fixers");
        policy.putAll(overrides);
        return policy;
    }

    private JsonNode putPolicy(String name, Map<String, Object> overrides) {
        Http.Response response = http.put("/api/spawn-policy/" + name, Map.of("value", policy(overrides)));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
        return response.json();
    }

    private JsonNode state(String name) {
        Http.Response response = http.get("/api/spawn-policy/" + name + "/status");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("state");
    }

    private JsonNode accepted(Http.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        assertThat(response.json().get("ok").asBoolean()).isTrue();
        return response.json().get("command");
    }

    private JsonNode startPolicy(String name) {
        return accepted(http.post("/api/spawn-policy/" + name + "/start", Map.of()));
    }

    /** The executor moves a command along to {@code status}, with {@code extra} (result, error). */
    private void finish(JsonNode command, String status, Map<String, Object> extra) {
        long id = command.get("id").asLong();
        assertThat(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "accepted")).status())
                .isEqualTo(200);
        assertThat(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "running")).status())
                .isEqualTo(200);
        Map<String, Object> body = new HashMap<>(extra);
        body.put("agentId", EXECUTOR);
        body.put("status", status);
        Http.Response response = http.patch("/api/commands/" + id, body);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static void refused(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
    }

    private void registerPolicyAgent(String agentId, String policy, String spawnRequestId) {
        relay.register(agentId, Map.of("meta", Map.of("policyName", policy, "spawnRequestId", spawnRequestId)));
    }

    @Test
    void aPolicyIsAConfigEntryWrittenCheckedAndNormalised() {
        Http.Response created = http.put("/api/spawn-policy/api-fixer", Map.of("value", policy(Map.of()), "updatedBy", "ops"));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode entry = created.json();
        assertThat(entry.get("namespace").asText()).isEqualTo("spawn-policy");
        assertThat(entry.get("key").asText()).isEqualTo("api-fixer");
        assertThat(entry.get("version").asLong()).isEqualTo(1);
        assertThat(entry.get("updatedBy").asText()).isEqualTo("ops");
        JsonNode value = entry.get("value");
        assertThat(value.get("name").asText()).as("the path's name").isEqualTo("api-fixer");
        assertThat(value.get("cwd").asText()).as("normalised").isEqualTo("/srv/work/api");
        assertThat(value.get("permissionMode").asText()).isEqualTo("open");
        assertThat(value.get("pool").asText()).isEqualTo("fixers");
        assertThat(http.get("/api/spawn-policy/api-fixer").json()).isEqualTo(entry);
        assertThat(http.get("/api/config/spawn-policy/api-fixer").json()).as("the same config entry").isEqualTo(entry);
        JsonNode changed = relay.events("config.changed").get(0);
        assertThat(changed.get("subject").asText()).isEqualTo("spawn-policy:api-fixer");

        Map<String, Object> bare = new LinkedHashMap<>(Map.of("orchestratorId", "o1", "provider", "codex"));
        Http.Response replaced = http.put("/api/spawn-policy/api-fixer", bare);
        assertThat(replaced.status()).as("a bare policy object is the value").isEqualTo(200);
        JsonNode second = replaced.json().get("value");
        assertThat(replaced.json().get("version").asLong()).isEqualTo(2);
        assertThat(second.get("provider").asText()).isEqualTo("codex");
        assertThat(second.get("permissionMode").asText()).as("the default").isEqualTo("guarded");
        assertThat(JsonLists.strings(second.get("tags"))).isEmpty();
        assertThat(second.has("cwd")).as("absent optional fields are left out").isFalse();

        Http.Response viaConfig = http.put("/api/config/spawn-policy/other", Map.of("value",
                Map.of("orchestratorId", "o1", "provider", "claude", "cwd", "/srv//x/./")));
        assertThat(viaConfig.status()).isEqualTo(201);
        assertThat(viaConfig.json().get("value").get("cwd").asText()).as("the same rule").isEqualTo("/srv/x");
        assertThat(viaConfig.json().get("value").get("name").asText()).isEqualTo("other");
    }

    @Test
    void listsStatusAndHealthGiveEachPolicyWithItsStateDefaultedWhenNeverStarted() {
        putPolicy("b-policy", Map.of());
        putPolicy("a-policy", Map.of("provider", "codex"));

        Http.Response list = http.get("/api/spawn-policies");
        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> views = JsonLists.nodes(list.json());
        assertThat(views).extracting(view -> view.get("policy").get("name").asText()).containsExactly("a-policy", "b-policy");
        JsonNode state = views.get(0).get("state");
        assertThat(state.get("policyName").asText()).isEqualTo("a-policy");
        assertThat(state.get("status").asText()).isEqualTo("stopped");
        assertThat(state.get("orchestratorId").asText()).isEqualTo("o1");
        assertThat(state.get("provider").asText()).isEqualTo("codex");
        assertThat(state.get("restartCount").asInt()).isZero();
        assertThat(state.get("consecutiveFailures").asInt()).isZero();
        assertThat(state.get("updatedAt").asLong()).isZero();
        assertThat(http.get("/api/spawn-policies/health").json()).isEqualTo(list.json());
        JsonNode status = http.get("/api/spawn-policy/a-policy/status").json();
        assertThat(status).isEqualTo(views.get(0));
        assertThat(http.get("/api/spawn-policy/a-policy/health").json()).isEqualTo(status);
    }

    @Test
    void badPoliciesAre400sNamingTheFieldAndWriteNothing() {
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("cwd", "srv/work")))), 400,
                "value.cwd must be an absolute POSIX path (starting with /)");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("provider", "gemini")))), 400,
                "invalid provider: gemini. Must be one of: claude, codex");
        Map<String, Object> noOrchestrator = policy(Map.of());
        noOrchestrator.remove("orchestratorId");
        refused(http.put("/api/spawn-policy/p", Map.of("value", noOrchestrator)), 400, "value.orchestratorId is required");
        refused(http.put("/api/spawn-policy/p", noOrchestrator), 400, "orchestratorId is required");
        Map<String, Object> noProvider = policy(Map.of());
        noProvider.remove("provider");
        refused(http.put("/api/spawn-policy/p", Map.of("value", noProvider)), 400,
                "value.provider is required (claude or codex)");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("name", "q")))), 400,
                "value.name must be the policy's name in the path ('p')");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("permissionMode", "yolo")))), 400,
                "value.permissionMode must be one of open|guarded|read-only, got 'yolo'");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("prompt", "x".repeat(4_001))))), 400,
                "value.prompt must be at most 4000 characters");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("tags", List.of("two words"))))), 400,
                "value.tags entries must not contain whitespace");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("tags", "x")))), 400,
                "value.tags must be an array of strings");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("pool", "two words")))), 400,
                "value.pool must be a name without whitespace or control characters");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("label", "x".repeat(121))))), 400,
                "value.label must be at most 120 characters");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of("providerArgs", List.of(1))))), 400,
                "value.providerArgs must be an array of strings");
        refused(http.put("/api/spawn-policy/p", Map.of("value", "text")), 400,
                "value must be a JSON object (the policy)");
        refused(http.put("/api/spawn-policy/p", List.of()), 400, "JSON object body required");
        refused(http.put("/api/spawn-policy/p", Map.of("value", policy(Map.of()), "updatedBy", "x".repeat(201))), 400,
                "updatedBy must be at most 200 characters");
        refused(http.put("/api/spawn-policy/" + "n".repeat(121), Map.of("value", policy(Map.of()))), 404,
                "spawn policy not found");
        refused(http.put("/api/config/spawn-policy/p", Map.of("value", policy(Map.of("cwd", "relative")))), 400,
                "value.cwd must be an absolute POSIX path (starting with /)");
        refused(http.put("/api/config/spawn-policy/p", Map.of("value", 7)), 400, "value must be a JSON object (the policy)");

        refused(http.get("/api/spawn-policy/p"), 404, "spawn policy not found");
        assertThat(http.get("/api/config/spawn-policy").json()).isEmpty();
        assertThat(relay.events("config.changed")).isEmpty();
    }

    @Test
    void unknownPoliciesAndOrchestratorsAre404s() {
        for (String path : List.of("/api/spawn-policy/nope", "/api/spawn-policy/nope/status",
                "/api/spawn-policy/nope/health")) {
            refused(http.get(path), 404, "spawn policy not found");
        }
        for (String action : List.of("start", "stop", "restart")) {
            refused(http.post("/api/spawn-policy/nope/" + action, Map.of()), 404, "spawn policy not found");
        }
        refused(http.delete("/api/spawn-policy/nope"), 404, "spawn policy not found");

        putPolicy("orphan", Map.of("orchestratorId", "gone"));
        refused(http.post("/api/spawn-policy/orphan/start", Map.of()), 404, "orchestrator not found");
        refused(http.post("/api/spawn-policy/orphan/stop", Map.of()), 404, "orchestrator not found");
        refused(http.delete("/api/spawn-policy/orphan"), 404, "orchestrator not found");
        assertThat(http.get("/api/spawn-policy/orphan").status()).as("nothing is deleted").isEqualTo(200);
        assertThat(state("orphan").get("status").asText()).as("nor changed").isEqualTo("stopped");
        assertThat(relay.events("policy.state.changed")).isEmpty();
    }

    @Test
    void startMakesASpawnCommandForTheOrchestratorsInboxAndTheStateStarting() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        long now = relay.clock().millis();

        JsonNode command = startPolicy("api-fixer");

        assertThat(command.get("type").asText()).isEqualTo("agent.spawn");
        assertThat(command.get("target").asText()).isEqualTo(EXECUTOR);
        assertThat(command.get("source").asText()).isEqualTo("system");
        assertThat(command.get("status").asText()).isEqualTo("pending");
        JsonNode params = command.get("params");
        String requestId = params.get("spawnRequestId").asText();
        assertThat(requestId).startsWith("sp_").hasSize(3 + 36);
        assertThat(command.get("correlationId").asText()).isEqualTo(requestId);
        assertThat(params.get("action").asText()).isEqualTo("spawn");
        assertThat(params.get("provider").asText()).isEqualTo("claude");
        assertThat(params.get("cwd").asText()).isEqualTo("/srv/work/api");
        assertThat(params.get("label").asText()).isEqualTo("api fixer");
        assertThat(JsonLists.strings(params.get("tags"))).containsExactly("backend");
        assertThat(JsonLists.strings(params.get("capabilities"))).containsExactly("fix");
        assertThat(params.get("approvalMode").asText()).isEqualTo("open");
        assertThat(params.get("permissionMode").asText()).isEqualTo("open");
        assertThat(JsonLists.strings(params.get("providerArgs"))).containsExactly("--verbose");
        assertThat(params.get("prompt").asText()).isEqualTo("fix the failing tests");
        assertThat(params.get("headless").asBoolean()).isTrue();
        assertThat(params.get("policyName").asText()).isEqualTo("api-fixer");
        assertThat(params.get("requestedBy").asText()).isEqualTo("managed-agent");
        assertThat(params.get("requestedAt").asLong()).isEqualTo(now);
        assertThat(params.get("reason").asText()).isEqualTo("manual-start");
        assertThat(params.get("orchestratorId").asText()).isEqualTo("o1");

        JsonNode state = state("api-fixer");
        assertThat(state.get("status").asText()).isEqualTo("starting");
        assertThat(state.get("spawnRequestId").asText()).isEqualTo(requestId);
        assertThat(state.get("lastSpawnAt").asLong()).isEqualTo(now);
        assertThat(state.get("orchestratorId").asText()).isEqualTo("o1");
        assertThat(state.get("updatedAt").asLong()).isEqualTo(now);
        JsonNode event = relay.events("policy.state.changed").get(0);
        assertThat(event.get("subject").asText()).isEqualTo("api-fixer");
        assertThat(event.get("source").asText()).isEqualTo("server");
        assertThat(event.get("data")).isEqualTo(state);
        assertThat(event.get("scope").get("target").asText()).as("to everyone, like config.changed").isEqualTo("broadcast");

        refused(http.post("/api/spawn-policy/api-fixer/start", Map.of()), 409, "spawn policy is already running");
        assertThat(relay.events("command.created")).hasSize(1);
    }

    @Test
    void startIsRefusedForAnOfflineOrchestratorAProviderItLacksOrAFolderOutsideItsBase() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of("providers", List.of("codex")));
        putPolicy("claude-one", Map.of());
        putPolicy("outside", Map.of("provider", "codex", "cwd", "/etc"));
        putPolicy("base", Map.of("provider", "codex", "cwd", ""));

        refused(http.post("/api/spawn-policy/claude-one/start", Map.of()), 400,
                "orchestrator does not support provider: claude");
        refused(http.post("/api/spawn-policy/outside/start", Map.of()), 400,
                "cwd must be within orchestrator base directory: /srv/work");
        assertThat(startPolicy("base").get("params").get("cwd").asText()).as("no cwd: the base folder")
                .isEqualTo("/srv/work");

        relay.clock().advance(STALE_TTL.plusSeconds(1));
        relay.reap();
        refused(http.post("/api/spawn-policy/claude-one/start", Map.of()), 409, "orchestrator is offline");
        assertThat(state("claude-one").get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void theAgentRegisteringWithThePolicysSpawnRequestMakesItRunning() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        String requestId = startPolicy("api-fixer").get("params").get("spawnRequestId").asText();

        registerPolicyAgent("stranger", "api-fixer", "sp_other");
        assertThat(state("api-fixer").get("status").asText()).as("another request's agent").isEqualTo("starting");
        relay.register("plain", Map.of("meta", Map.of("policyName", 5)));

        relay.clock().advance(Duration.ofSeconds(3));
        registerPolicyAgent("o1-claude-1", "api-fixer", requestId);

        JsonNode state = state("api-fixer");
        assertThat(state.get("status").asText()).isEqualTo("running");
        assertThat(state.get("agentId").asText()).isEqualTo("o1-claude-1");
        assertThat(state.get("healthySince").asLong()).isEqualTo(relay.clock().millis());
        assertThat(state.get("lastError").isNull()).isTrue();
        assertThat(relay.events("policy.state.changed")).hasSize(2);
        refused(http.post("/api/spawn-policy/api-fixer/start", Map.of()), 409, "spawn policy is already running");
    }

    @Test
    void aPolicysQueuedMessagesGoToTheAgentOfItsCurrentSpawnRequestAndToNoOtherThatClaimsItsName() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        relay.register("carol");
        long early = relay.send("carol", "policy:api-fixer", "before the start").json().get("id").asLong();
        String requestId = startPolicy("api-fixer").get("params").get("spawnRequestId").asText();
        long starting = relay.send("carol", "policy:api-fixer", "while it starts").json().get("id").asLong();

        registerPolicyAgent("stranger", "api-fixer", "sp_other");
        assertThat(http.get("/api/messages/queued?for=policy:api-fixer").json())
                .as("a managed policy's agent is its state's, not whoever names it").hasSize(2);
        registerPolicyAgent("o1-claude-1", "api-fixer", requestId);

        assertThat(http.get("/api/messages?for=o1-claude-1").json().get("messages")).extracting(m -> m.get("id").asLong())
                .containsExactly(early, starting);
        assertThat(http.get("/api/messages?for=stranger").json().get("messages")).isEmpty();
        JsonNode available = relay.events("message.available").get(0);
        assertThat(available.get("data").get("agentId").asText()).isEqualTo("o1-claude-1");
        assertThat(relay.events("policy.state.changed").stream().map(e -> e.get("id").asLong()).max(Long::compare)
                .orElseThrow()).as("the state is running before its queue is delivered")
                .isLessThan(available.get("id").asLong());
        long later = relay.send("carol", "policy:api-fixer", "while it runs").json().get("id").asLong();
        assertThat(http.get("/api/messages/" + later).json().get("resolvedToAgent").asText()).isEqualTo("o1-claude-1");

        accepted(http.post("/api/spawn-policy/api-fixer/stop", Map.of()));
        long stopping = relay.send("carol", "policy:api-fixer", "after the stop").json().get("id").asLong();
        assertThat(http.get("/api/messages/" + stopping).json().get("deliveryStatus").asText())
                .as("a stopping policy has no running agent").isEqualTo("queued");
    }

    @Test
    void stopMakesAShutdownCommandAndItsSuccessStopsThePolicy() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode spawn = startPolicy("api-fixer");
        String requestId = spawn.get("params").get("spawnRequestId").asText();
        finish(spawn, "succeeded", Map.of("result", Map.of("agentId", "o1-claude-1", "tmuxSession", "relay-claude-1")));
        assertThat(state("api-fixer").get("tmuxSession").asText()).as("from the spawn's result").isEqualTo("relay-claude-1");
        assertThat(state("api-fixer").get("status").asText()).as("until the agent registers").isEqualTo("starting");
        registerPolicyAgent("o1-claude-1", "api-fixer", requestId);
        relay.clock().advance(Duration.ofSeconds(5));

        JsonNode shutdown = accepted(http.post("/api/spawn-policy/api-fixer/stop", Map.of()));

        assertThat(shutdown.get("type").asText()).isEqualTo("agent.shutdown");
        assertThat(shutdown.get("target").asText()).isEqualTo(EXECUTOR);
        assertThat(shutdown.get("correlationId").asText()).isEqualTo(requestId);
        JsonNode params = shutdown.get("params");
        assertThat(params.get("action").asText()).isEqualTo("shutdown");
        assertThat(params.get("policyName").asText()).isEqualTo("api-fixer");
        assertThat(params.get("spawnRequestId").asText()).isEqualTo(requestId);
        assertThat(params.get("agentId").asText()).isEqualTo("o1-claude-1");
        assertThat(params.get("tmuxSession").asText()).isEqualTo("relay-claude-1");
        assertThat(params.get("graceful").asBoolean()).isTrue();
        assertThat(params.get("timeoutMs").asLong()).isEqualTo(10_000);
        assertThat(params.get("reason").asText()).isEqualTo("manual-stop");
        assertThat(params.get("requestedBy").asText()).isEqualTo("managed-agent");
        assertThat(params.get("orchestratorId").asText()).isEqualTo("o1");
        JsonNode stopping = state("api-fixer");
        assertThat(stopping.get("status").asText()).isEqualTo("stopping");
        assertThat(stopping.get("agentId").asText()).as("kept").isEqualTo("o1-claude-1");
        assertThat(stopping.get("lastStopAt").asLong()).isEqualTo(relay.clock().millis());

        finish(shutdown, "succeeded", Map.of("result", Map.of("stopped", List.of("relay-claude-1"))));
        assertThat(state("api-fixer").get("status").asText()).isEqualTo("stopped");
        assertThat(relay.events("policy.state.changed")).extracting(e -> e.get("data").get("status").asText())
                .containsExactly("starting", "starting", "running", "stopping", "stopped");

        JsonNode again = startPolicy("api-fixer");
        assertThat(again.get("params").get("spawnRequestId").asText()).as("a new request").isNotEqualTo(requestId);
    }

    @Test
    void restartMakesARestartCommandAndCountsIt() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        refused(http.post("/api/spawn-policy/api-fixer/restart", Map.of()), 409, "spawn policy is not running");
        String requestId = startPolicy("api-fixer").get("params").get("spawnRequestId").asText();
        registerPolicyAgent("o1-claude-1", "api-fixer", requestId);

        JsonNode restart = accepted(http.post("/api/spawn-policy/api-fixer/restart", Map.of()));

        assertThat(restart.get("type").asText()).isEqualTo("agent.restart");
        assertThat(restart.get("params").get("action").asText()).isEqualTo("restart");
        assertThat(restart.get("params").get("reason").asText()).isEqualTo("manual-restart");
        assertThat(restart.get("params").get("agentId").asText()).isEqualTo("o1-claude-1");
        JsonNode state = state("api-fixer");
        assertThat(state.get("status").asText()).isEqualTo("starting");
        assertThat(state.get("restartCount").asInt()).isEqualTo(1);
        assertThat(state.get("spawnRequestId").asText()).as("the same request").isEqualTo(requestId);

        registerPolicyAgent("o1-claude-1", "api-fixer", requestId);
        assertThat(state("api-fixer").get("status").asText()).isEqualTo("running");
    }

    @Test
    void aFailedSpawnFailsThePolicyAndTheNextRegistrationClearsTheFailure() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode spawn = startPolicy("api-fixer");

        finish(spawn, "failed", Map.of("error", "provider claude is not installed on this orchestrator"));

        JsonNode failed = state("api-fixer");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("lastError").asText()).isEqualTo("provider claude is not installed on this orchestrator");
        assertThat(failed.get("consecutiveFailures").asInt()).isEqualTo(1);

        JsonNode second = startPolicy("api-fixer");
        assertThat(state("api-fixer").get("lastError").asText()).as("kept until it runs").isNotEmpty();
        registerPolicyAgent("a1", "api-fixer", second.get("params").get("spawnRequestId").asText());
        JsonNode running = state("api-fixer");
        assertThat(running.get("status").asText()).isEqualTo("running");
        assertThat(running.get("lastError").isNull()).isTrue();
        assertThat(running.get("consecutiveFailures").asInt()).isZero();

    }

    @Test
    void anOutcomeOfAnEarlierRequestChangesNothing() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode first = startPolicy("api-fixer");
        String firstId = first.get("params").get("spawnRequestId").asText();
        registerPolicyAgent("a1", "api-fixer", firstId);
        JsonNode shutdown = accepted(http.post("/api/spawn-policy/api-fixer/stop", Map.of()));
        JsonNode second = startPolicy("api-fixer");
        assertThat(state("api-fixer").get("status").asText()).as("start while stopping").isEqualTo("starting");

        finish(shutdown, "succeeded", Map.of());
        finish(first, "failed", Map.of("error", "late"));

        JsonNode state = state("api-fixer");
        assertThat(state.get("status").asText()).isEqualTo("starting");
        assertThat(state.get("spawnRequestId").asText()).isEqualTo(second.get("params").get("spawnRequestId").asText());
        registerPolicyAgent("a1", "api-fixer", firstId);
        assertThat(state("api-fixer").get("status").asText()).as("the old request's agent").isEqualTo("starting");
    }

    @Test
    void aSpawnNobodyAcceptsExpiresAndTheRunningAgentGoingOfflineFailsThePolicy() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode spawn = startPolicy("api-fixer");

        relay.clock().advance(COMMAND_TTL.plusSeconds(1));
        assertThat(JsonLists.longs(relay.reap().get("expiredCommandIds"))).contains(spawn.get("id").asLong());

        JsonNode expired = state("api-fixer");
        assertThat(expired.get("status").asText()).isEqualTo("failed");
        assertThat(expired.get("lastError").asText()).isEqualTo("agent.spawn command " + spawn.get("id").asLong()
                + " expired before an orchestrator accepted it");

        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        String requestId = startPolicy("api-fixer").get("params").get("spawnRequestId").asText();
        registerPolicyAgent("a1", "api-fixer", requestId);
        relay.clock().advance(STALE_TTL.plusSeconds(1));
        relay.reap();
        assertThat(state("api-fixer").get("status").asText()).as("stale is not yet gone").isEqualTo("running");
        relay.clock().advance(STALE_TTL);
        relay.reap();

        JsonNode offline = state("api-fixer");
        assertThat(offline.get("status").asText()).isEqualTo("failed");
        assertThat(offline.get("lastError").asText()).isEqualTo("agent a1 went offline");
        assertThat(offline.get("consecutiveFailures").asInt()).as("the registration reset the count").isEqualTo(1);
        assertThat(offline.get("healthySince").isNull()).isTrue();
    }

    /** Advances the clock, keeps orchestrator o1 online, and runs the reaper. */
    private void reapAfter(Duration wait) {
        relay.clock().advance(wait);
        assertThat(http.post("/api/orchestrators/o1/heartbeat", Map.of()).status()).isEqualTo(200);
        relay.reap();
    }

    @Test
    void theReaperRestartsAPolicyThatFailedAfterAStartWithBackoff() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode first = startPolicy("api-fixer");
        finish(first, "failed", Map.of("error", "tmux is not installed"));

        reapAfter(Duration.ofSeconds(29));
        assertThat(state("api-fixer").get("status").asText()).as("30 s after the first failure").isEqualTo("failed");
        reapAfter(Duration.ofSeconds(2));

        JsonNode restarted = state("api-fixer");
        assertThat(restarted.get("status").asText()).isEqualTo("starting");
        assertThat(restarted.get("restartCount").asInt()).isEqualTo(1);
        assertThat(restarted.get("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(restarted.get("lastSpawnAt").asLong()).isEqualTo(relay.clock().millis());
        List<JsonNode> spawns = relay.events("command.created");
        JsonNode second = spawns.get(spawns.size() - 1).get("data");
        assertThat(second.get("params").get("reason").asText()).isEqualTo("auto-restart");
        String secondId = second.get("params").get("spawnRequestId").asText();
        assertThat(secondId).isNotEqualTo(first.get("params").get("spawnRequestId").asText())
                .isEqualTo(restarted.get("spawnRequestId").asText());

        finish(second, "failed", Map.of("error", "still no tmux"));
        reapAfter(Duration.ofSeconds(31));
        assertThat(state("api-fixer").get("status").asText()).as("60 s after the second").isEqualTo("failed");
        reapAfter(Duration.ofSeconds(30));
        assertThat(state("api-fixer").get("status").asText()).isEqualTo("starting");
        assertThat(state("api-fixer").get("restartCount").asInt()).isEqualTo(2);

        registerPolicyAgent("a1", "api-fixer", state("api-fixer").get("spawnRequestId").asText());
        JsonNode shutdown = accepted(http.post("/api/spawn-policy/api-fixer/stop", Map.of()));
        finish(shutdown, "failed", Map.of("error", "session would not die"));
        assertThat(state("api-fixer").get("status").asText()).isEqualTo("failed");
        reapAfter(Duration.ofMinutes(15));
        assertThat(state("api-fixer").get("status").asText()).as("a failed stop is not restarted").isEqualTo("failed");
    }

    @Test
    void automaticRestartsStopAfterFiveInARow() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        JsonNode spawn = startPolicy("api-fixer");
        for (int failure = 1; failure <= 6; failure++) {
            finish(spawn, "failed", Map.of("error", "failure " + failure));
            reapAfter(Duration.ofMinutes(11));
            if (failure <= 5) {
                assertThat(state("api-fixer").get("status").asText()).as("after failure %d", failure).isEqualTo("starting");
                List<JsonNode> created = relay.events("command.created");
                spawn = created.get(created.size() - 1).get("data");
            }
        }
        JsonNode state = state("api-fixer");
        assertThat(state.get("status").asText()).isEqualTo("failed");
        assertThat(state.get("consecutiveFailures").asInt()).isEqualTo(6);
        assertThat(state.get("restartCount").asInt()).isEqualTo(5);
    }

    @Test
    void deleteStopsTheAgentThenDeletesThePolicyAsAVersionedWrite() {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        String requestId = startPolicy("api-fixer").get("params").get("spawnRequestId").asText();
        registerPolicyAgent("a1", "api-fixer", requestId);

        JsonNode shutdown = accepted(http.delete("/api/spawn-policy/api-fixer?updatedBy=ops"));

        assertThat(shutdown.get("type").asText()).isEqualTo("agent.shutdown");
        assertThat(shutdown.get("params").get("reason").asText()).isEqualTo("policy-deleted");
        assertThat(shutdown.get("params").get("agentId").asText()).isEqualTo("a1");
        refused(http.get("/api/spawn-policy/api-fixer"), 404, "spawn policy not found");
        JsonNode deletion = http.get("/api/config/spawn-policy/api-fixer/history").json().get(0);
        assertThat(deletion.get("version").asLong()).isEqualTo(2);
        assertThat(deletion.get("deleted").asBoolean()).isTrue();
        assertThat(deletion.get("updatedBy").asText()).isEqualTo("ops");
        assertThat(relay.events("config.changed")).extracting(e -> e.get("data").get("version").asLong())
                .containsExactly(1L, 2L);
        assertThat(relay.events("policy.state.changed")).last()
                .satisfies(e -> assertThat(e.get("data").get("status").asText()).isEqualTo("stopping"));
        assertThat(JsonLists.nodes(http.get("/api/spawn-policies").json())).isEmpty();
    }

    /** Twenty starts at once: one 202, every other a 409, no 500, one command. */
    @Test
    void concurrentStartsHaveOneWinner() throws Exception {
        relay.registerOrchestrator("o1", "/srv/work", Map.of());
        putPolicy("api-fixer", Map.of());
        int racers = 20;
        List<CompletableFuture<Http.Response>> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < racers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return http.post("/api/spawn-policy/api-fixer/start", Map.of());
                }, pool));
            }
            go.countDown();
        }
        List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(Http.Response::status).toList();

        assertThat(statuses).containsOnly(202, 409);
        assertThat(statuses.stream().filter(status -> status == 202).count()).isEqualTo(1);
        assertThat(answers.stream().map(CompletableFuture::join).filter(r -> r.status() == 409))
                .allSatisfy(r -> assertThat(r.error()).isEqualTo("spawn policy is already running"));
        assertThat(relay.events("command.created")).hasSize(1);
        assertThat(relay.events("policy.state.changed")).hasSize(1);
    }
}
