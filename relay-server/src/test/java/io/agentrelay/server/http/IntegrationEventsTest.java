package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /api/integrations/events}: auth, scopes, lists, dedupe, resolution, rate limit. */
class IntegrationEventsTest {
    static final String MONITOR_TOKEN = "monitor-token-0123456789";
    static final String READONLY_TOKEN = "readonly-token-0123456789";
    static final String GLOBAL_TOKEN = "relay-token-0123456789";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private static Integrations integrations() {
        return Integrations.of()
                .add("monitor", MONITOR_TOKEN, List.of("tag:ops", "alice"), List.of("alerts"))
                .add("readonly", READONLY_TOKEN, List.of(), List.of("tag:ops"), List.of(), null, null);
    }

    private void start(Map<String, String> more) {
        relay = TestRelay.start(dir, integrations().env(more));
    }

    private Http monitor() {
        return relay.http().with("Authorization", "Bearer " + MONITOR_TOKEN);
    }

    static Map<String, Object> alert(String dedupeKey) {
        Map<String, Object> event = new HashMap<>();
        event.put("target", "tag:ops");
        event.put("channel", "alerts");
        event.put("dedupeKey", dedupeKey);
        event.put("title", "Disk almost full on db-1");
        event.put("body", "/var is at 95%");
        event.put("severity", "critical");
        event.put("externalUrl", "https://grafana.example/d/disk");
        event.put("metadata", Map.of("host", "db-1", "used", 95));
        return event;
    }

    @Test
    void aNewEventRaisesAnOpenTaskAndAClaimableTaskMessageToTheTargetInOneTransaction() {
        start(Map.of());
        relay.register("alice", Map.of("tags", List.of("ops")));

        Http.Response response = monitor().post("/api/integrations/events", alert("disk-db-1"));

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        assertThat(response.json().get("created").asBoolean()).isTrue();
        JsonNode task = response.json().get("task");
        assertThat(task.get("id").asLong()).isPositive();
        assertThat(task.get("status").asText()).isEqualTo("open");
        assertThat(task.get("integration").asText()).isEqualTo("monitor");
        assertThat(task.get("target").asText()).isEqualTo("tag:ops");
        assertThat(task.get("channel").asText()).isEqualTo("alerts");
        assertThat(task.get("severity").asText()).isEqualTo("critical");
        assertThat(task.get("occurrenceCount").asInt()).isEqualTo(1);
        assertThat(task.get("metadata").get("host").asText()).isEqualTo("db-1");

        JsonNode inbox = relay.http().get("/api/messages?for=alice").json().get("messages");
        assertThat(inbox).hasSize(1);
        JsonNode message = inbox.get(0);
        assertThat(message.get("id").asLong()).isEqualTo(task.get("messageId").asLong());
        assertThat(message.get("kind").asText()).isEqualTo("task");
        assertThat(message.get("claimable").asBoolean()).isTrue();
        assertThat(message.get("to").asText()).isEqualTo("tag:ops");
        assertThat(message.get("from").asText()).isEqualTo("integration:monitor");
        assertThat(message.get("subject").asText()).isEqualTo("Disk almost full on db-1");
        assertThat(message.get("payload").get("taskId").asLong()).isEqualTo(task.get("id").asLong());

        // The message and the task event were appended by one transaction: adjacent ids, same time.
        JsonNode events = relay.http().get("/api/events?types=message.new,task.created").json().get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("id").asLong()).isEqualTo(events.get(0).get("id").asLong() + 1);
        assertThat(events.get(1).get("type").asText()).isEqualTo("task.created");
        assertThat(events.get(1).get("scope").get("target").asText()).isEqualTo("tag:ops");
        assertThat(events.get(1).get("scope").get("channel").asText()).isEqualTo("alerts");
        assertThat(events.get(1).get("data").get("task").get("id").asLong()).isEqualTo(task.get("id").asLong());
    }

    @Test
    void anAlertStormWithOneDedupeKeyStaysOneTaskThatCountsEveryOccurrence() throws Exception {
        start(Map.of());
        int storm = 40;
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Http.Response>> posts = IntStream.range(0, storm)
                    .mapToObj(n -> pool.submit(() -> monitor().post("/api/integrations/events", alert("disk-db-1"))))
                    .toList();
            for (Future<Http.Response> post : posts) {
                statuses.add(post.get().status());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(storm - 1);

        relay.clock().advance(Duration.ofMinutes(5));
        Http.Response last = monitor().post("/api/integrations/events", alert("disk-db-1"));

        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().get("created").asBoolean()).isFalse();
        JsonNode tasks = relay.http().get("/api/tasks").json().get("tasks");
        assertThat(tasks).hasSize(1);
        JsonNode task = tasks.get(0);
        assertThat(task.get("occurrenceCount").asInt()).isEqualTo(storm + 1);
        assertThat(task.get("lastSeenAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(task.get("createdAt").asLong()).isEqualTo(relay.clock().millis() - Duration.ofMinutes(5).toMillis());
        assertThat(relay.http().get("/api/messages?kind=task").json().get("messages"))
                .as("one announcement, not one per occurrence").hasSize(1);
        JsonNode history = relay.http().get("/api/tasks/" + task.get("id").asLong()).json().get("events");
        assertThat(kinds(history)).first().isEqualTo("created");
        assertThat(kinds(history)).filteredOn("occurrence"::equals).hasSize(storm);
        assertThat(relay.http().get("/api/events?types=task.updated&limit=1000").json().get("events")).hasSize(storm);
    }

    @Test
    void aResolvedEventClosesTheActiveTaskAsDoneAndALaterEventOpensANewOne() {
        start(Map.of());
        long first = monitor().post("/api/integrations/events", alert("cpu")).json().get("task").get("id").asLong();
        relay.clock().advance(Duration.ofMinutes(1));

        Map<String, Object> resolved = new HashMap<>(alert("cpu"));
        resolved.put("status", "resolved");
        resolved.remove("title");
        Http.Response closing = monitor().post("/api/integrations/events", resolved);

        assertThat(closing.status()).as(closing.text()).isEqualTo(200);
        assertThat(closing.json().get("created").asBoolean()).isFalse();
        assertThat(closing.json().get("task").get("id").asLong()).isEqualTo(first);
        assertThat(closing.json().get("task").get("status").asText()).isEqualTo("done");
        assertThat(closing.json().get("task").get("closedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(kinds(relay.http().get("/api/tasks/" + first).json().get("events"))).containsExactly("created", "resolved");

        Http.Response nothingActive = monitor().post("/api/integrations/events", resolved);
        assertThat(nothingActive.status()).isEqualTo(200);
        assertThat(nothingActive.json().get("task").isNull()).isTrue();

        Http.Response again = monitor().post("/api/integrations/events", alert("cpu"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("task").get("id").asLong()).isNotEqualTo(first);
    }

    @ParameterizedTest
    @CsvSource({"open,open", "claimed,open", "in_progress,open", "blocked,open", "done,done", "failed,failed",
            "canceled,canceled", "resolved,done"})
    void everyTaskStatusPlusResolvedIsAcceptedAndClosingOnesCloseTheActiveTask(String status, String after) {
        start(Map.of());
        long first = monitor().post("/api/integrations/events", alert("disk")).json().get("task").get("id").asLong();

        Map<String, Object> event = new HashMap<>(alert("disk"));
        event.put("status", status);
        Http.Response answer = monitor().post("/api/integrations/events", event);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode task = answer.json().get("task");
        assertThat(task.get("id").asLong()).isEqualTo(first);
        assertThat(task.get("status").asText()).isEqualTo(after);
        assertThat(task.get("occurrenceCount").asInt()).isEqualTo(after.equals("open") ? 2 : 1);
    }

    @Test
    void withoutAValidIntegrationTokenTheEventIsUnauthorizedAndNothingIsCreated() {
        start(Map.of("AGENT_RELAY_TOKEN", GLOBAL_TOKEN));
        Http admin = relay.http().with("Authorization", "Bearer " + GLOBAL_TOKEN);

        assertUnauthorized(relay.http().post("/api/integrations/events", alert("k")), "missing token");
        assertUnauthorized(relay.http().with("Authorization", "Bearer nope").post("/api/integrations/events",
                alert("k")), "invalid integration token");
        assertUnauthorized(relay.http().with("X-Agent-Relay-Token", MONITOR_TOKEN + "x")
                .post("/api/integrations/events", alert("k")), "invalid integration token");
        assertUnauthorized(admin.post("/api/integrations/events", alert("k")), "invalid integration token");

        assertThat(admin.get("/api/tasks").json().get("tasks")).isEmpty();
        assertThat(relay.http().with("X-Agent-Relay-Token", MONITOR_TOKEN).post("/api/integrations/events",
                alert("k")).status()).as("the relay header works too").isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/tasks", "/api/agents", "/api/integrations", "/api/integrations/monitor/deliveries",
            "/api/activity", "/api/events"})
    void anIntegrationTokenGrantsNothingBeyondTheIntegrationRoutes(String path) {
        start(Map.of("AGENT_RELAY_TOKEN", GLOBAL_TOKEN));

        assertUnauthorized(monitor().get(path), "invalid token");
        assertThat(relay.http().with("Authorization", "Bearer " + GLOBAL_TOKEN).get(path).status()).isEqualTo(200);
    }

    @Test
    void anIntegrationWithoutTheScopeOrOutsideItsTargetsAndChannelsIsForbidden() {
        start(Map.of());
        Http readonly = relay.http().with("Authorization", "Bearer " + READONLY_TOKEN);

        Http.Response noScope = readonly.post("/api/integrations/events", Map.of("target", "tag:ops", "title", "x"));
        assertThat(noScope.status()).isEqualTo(403);
        assertThat(noScope.error()).contains("tasks:create");

        Map<String, Object> elsewhere = new HashMap<>(alert("k"));
        elsewhere.put("target", "tag:dev");
        Http.Response badTarget = monitor().post("/api/integrations/events", elsewhere);
        assertThat(badTarget.status()).isEqualTo(403);
        assertThat(badTarget.error()).contains("tag:dev");

        Map<String, Object> otherChannel = new HashMap<>(alert("k"));
        otherChannel.put("channel", "billing");
        Http.Response badChannel = monitor().post("/api/integrations/events", otherChannel);
        assertThat(badChannel.status()).isEqualTo(403);
        assertThat(badChannel.error()).contains("billing");

        assertThat(relay.http().get("/api/tasks").json().get("tasks")).isEmpty();
        assertThat(relay.http().get("/api/messages").json().get("messages")).isEmpty();

        Map<String, Object> direct = new HashMap<>(alert("k"));
        direct.put("target", "alice");
        direct.remove("channel");
        assertThat(monitor().post("/api/integrations/events", direct).status())
                .as("a listed agent id, no channel").isEqualTo(201);
    }

    @Test
    void aBadEventIsRefusedNamingTheField() {
        start(Map.of());

        assertField(monitor().post("/api/integrations/events", Map.of("target", "tag:ops")), "title");
        assertField(monitor().post("/api/integrations/events", Map.of("title", "x")), "target");
        Map<String, Object> severity = new HashMap<>(alert("k"));
        severity.put("severity", "apocalyptic");
        assertField(monitor().post("/api/integrations/events", severity), "severity");
        Map<String, Object> url = new HashMap<>(alert("k"));
        url.put("externalUrl", "javascript:alert(1)");
        assertField(monitor().post("/api/integrations/events", url), "externalUrl");
        Map<String, Object> resolved = new HashMap<>(alert("k"));
        resolved.put("status", "resolved");
        resolved.remove("dedupeKey");
        assertField(monitor().post("/api/integrations/events", resolved), "dedupeKey");
        Map<String, Object> shelved = new HashMap<>(alert("k"));
        shelved.put("status", "shelved");
        assertField(monitor().post("/api/integrations/events", shelved), "status");
        assertField(monitor().post("/api/integrations/events", Map.of("target", "tag:ops", "title", 5)), "title");
        assertThat(relay.http().get("/api/tasks").json().get("tasks")).isEmpty();
    }

    @Test
    void theIntegrationListShowsWhatEachMayDoButNeverATokenOrSecret() {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", MONITOR_TOKEN, List.of("tasks:create"), List.of("tag:ops"), List.of("alerts"),
                        "http://127.0.0.1:9/hook", "hmac-secret-value")
                .env(Map.of("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "30")));

        Http.Response list = relay.http().get("/api/integrations");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).doesNotContain(MONITOR_TOKEN).doesNotContain("hmac-secret-value");
        JsonNode monitor = list.json().get("integrations").get(0);
        assertThat(monitor.get("name").asText()).isEqualTo("monitor");
        assertThat(monitor.get("scopes").get(0).asText()).isEqualTo("tasks:create");
        assertThat(monitor.get("targets").get(0).asText()).isEqualTo("tag:ops");
        assertThat(monitor.get("channels").get(0).asText()).isEqualTo("alerts");
        assertThat(monitor.get("callbackUrl").asText()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(monitor.get("signed").asBoolean()).isTrue();
        assertThat(list.json().get("rateLimitPerMinute").asInt()).isEqualTo(30);
        assertThat(relay.server().config().toString()).doesNotContain(MONITOR_TOKEN).doesNotContain("hmac-secret-value");
    }

    @Test
    void pastItsRateLimitAnIntegrationIsToldWhenToComeBackWhileOthersAreUnaffected() {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", MONITOR_TOKEN, List.of("tag:ops"), List.of("alerts"))
                .add("ci", "ci-token-0123456789", List.of("tag:ops"), List.of())
                .env(Map.of("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "5")));
        for (int i = 0; i < 5; i++) {
            assertThat(monitor().post("/api/integrations/events", alert("k" + i)).status()).isEqualTo(201);
        }

        Http.Response limited = monitor().post("/api/integrations/events", alert("k5"));

        assertThat(limited.status()).isEqualTo(429);
        // 5 per minute refill one every 12 s.
        assertThat(limited.headers().firstValue("Retry-After")).contains("12");
        assertThat(limited.json().get("retryAfter").asInt()).isEqualTo(12);
        assertThat(limited.error()).contains("rate limit");
        assertThat(relay.http().with("Authorization", "Bearer ci-token-0123456789")
                .post("/api/integrations/events", Map.of("target", "tag:ops", "title", "build failed")).status())
                .as("another integration has its own bucket").isEqualTo(201);

        relay.clock().advance(Duration.ofSeconds(11));
        assertThat(monitor().post("/api/integrations/events", alert("k5")).status()).isEqualTo(429);
        relay.clock().advance(Duration.ofSeconds(1));
        assertThat(monitor().post("/api/integrations/events", alert("k5")).status()).isEqualTo(201);
        assertThat(relay.http().get("/api/tasks?integration=monitor").json().get("tasks")).hasSize(6);
    }

    @Test
    void taskEventsStreamToTheAgentsTheTargetReaches() throws Exception {
        start(Map.of());
        relay.register("alice", Map.of("tags", List.of("ops")));
        relay.register("bob");

        try (SseClient alice = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=task.created,task.updated",
                Map.of());
             SseClient bob = SseClient.open(relay.url(), "/api/events/stream?agentId=bob&types=task.created,task.updated",
                     Map.of())) {
            long id = monitor().post("/api/integrations/events", alert("k")).json().get("task").get("id").asLong();
            assertThat(relay.http().post("/api/tasks/" + id + "/claim", Map.of("agentId", "alice")).status())
                    .isEqualTo(200);
            Map<String, Object> direct = new HashMap<>(alert("k2"));
            direct.put("target", "alice");
            monitor().post("/api/integrations/events", direct);

            List<SseClient.Frame> frames = alice.events(3, WAIT);
            assertThat(frames).extracting(SseClient.Frame::event)
                    .containsExactly("task.created", "task.updated", "task.created");
            assertThat(frames.get(1).data().get("data").get("change").asText()).isEqualTo("claimed");
            // bob is reached by neither tag:ops nor alice: his stream stays quiet.
            relay.register("bob", Map.of("tags", List.of("ops")));
            monitor().post("/api/integrations/events", alert("k3"));
            assertThat(bob.nextEvent(WAIT).data().get("data").get("task").get("dedupeKey").asText()).isEqualTo("k3");
        }
    }

    static List<String> kinds(JsonNode history) {
        return StreamSupport.stream(history.spliterator(), false).map(e -> e.get("kind").asText()).toList();
    }

    private static void assertField(Http.Response response, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo(field);
    }

    private static void assertUnauthorized(Http.Response response, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(401);
        assertThat(response.error()).contains(error);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
}
