package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static io.agentrelay.server.testing.JsonLists.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperTest {
    private static final Duration STALE_TTL = Duration.ofSeconds(1);
    private static final Duration OFFLINE_PRUNE = Duration.ofSeconds(5);
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aSilentAgentGoesStaleThenOfflineThenIsPrunedWhileAHeartbeatingOneStays() {
        startWith(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis()),
                "OFFLINE_PRUNE_MS", Long.toString(OFFLINE_PRUNE.toMillis())));
        relay.register("quiet");
        relay.register("busy");

        relay.clock().advance(STALE_TTL);
        heartbeat("busy");
        JsonNode atTheLimit = reap();
        assertThat(atTheLimit.get("reapedAgentIds")).as("silent for exactly STALE_TTL_MS").isEmpty();

        relay.clock().advance(Duration.ofMillis(1));
        heartbeat("busy");
        JsonNode stale = reap();
        assertThat(strings(stale.get("reapedAgentIds"))).containsExactly("quiet");
        assertThat(status("quiet")).isEqualTo("stale");
        assertThat(statusEvents("quiet")).containsExactly("stale");
        assertThat(reap().get("reapedAgentIds")).as("no change, no report").isEmpty();

        relay.clock().advance(STALE_TTL);
        heartbeat("busy");
        JsonNode offline = reap();
        assertThat(strings(offline.get("reapedAgentIds"))).containsExactly("quiet");
        assertThat(offline.get("prunedAgentIds")).isEmpty();
        assertThat(status("quiet")).isEqualTo("offline");
        assertThat(statusEvents("quiet")).containsExactly("stale", "offline");

        while (relay.clock().millis() - lastSeenAt("quiet") < OFFLINE_PRUNE.toMillis()) {
            assertThat(reap().get("prunedAgentIds")).as("pruned too early").isEmpty();
            relay.clock().advance(STALE_TTL);
            heartbeat("busy");
        }
        JsonNode pruned = reap();

        assertThat(strings(pruned.get("prunedAgentIds"))).containsExactly("quiet");
        assertThat(pruned.get("reapedAgentIds")).isEmpty();
        assertThat(events("agent.removed")).singleElement().satisfies(event -> {
            assertThat(event.get("scope").get("agentId").asText()).isEqualTo("quiet");
            assertThat(event.get("data").get("agentId").asText()).isEqualTo("quiet");
            assertThat(event.get("data").get("reason").asText()).isEqualTo("pruned");
        });
        assertThat(http.get("/api/agents/quiet").status()).isEqualTo(404);
        assertThat(http.post("/api/agents/quiet/heartbeat", Map.of()).status())
                .as("a pruned agent must re-register").isEqualTo(404);
        assertThat(status("busy")).isEqualTo("online");
        assertThat(statusEvents("busy")).isEmpty();
    }

    @Test
    void anAgentOfKindSystemGoesOfflineButIsNeverPruned() {
        startWith(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis()),
                "OFFLINE_PRUNE_MS", Long.toString(OFFLINE_PRUNE.toMillis())));
        relay.register("sysbot", Map.of("kind", "system"));
        relay.register("quiet");

        relay.clock().advance(STALE_TTL.multipliedBy(2).plusMillis(1));
        reap();
        assertThat(status("sysbot")).isEqualTo("offline");
        relay.clock().advance(OFFLINE_PRUNE.multipliedBy(2));
        JsonNode pruned = reap();

        assertThat(strings(pruned.get("prunedAgentIds"))).containsExactly("quiet");
        assertThat(http.get("/api/agents/sysbot").status()).isEqualTo(200);
    }

    @Test
    void aHeartbeatBringsAStaleAgentBackOnline() {
        startWith(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis())));
        relay.register("sleepy");
        relay.clock().advance(STALE_TTL.plusMillis(1));
        reap();
        assertThat(status("sleepy")).isEqualTo("stale");

        heartbeat("sleepy");

        assertThat(status("sleepy")).isEqualTo("online");
        assertThat(statusEvents("sleepy")).containsExactly("stale", "online");
    }

    @Test
    void retentionDeletesOldMessagesAndEventsButKeepsRecentOnes() {
        startWith(Map.of("RETENTION_DAYS", "1"));
        relay.register("alice");
        long old = relay.send("alice", "alice", "old").json().get("id").asLong();
        relay.clock().advance(DAY.dividedBy(2));
        long recent = relay.send("alice", "alice", "recent").json().get("id").asLong();
        relay.clock().advance(DAY.dividedBy(2));
        assertThat(reap().get("prunedRows").asLong()).as("exactly one day old is kept").isZero();

        relay.clock().advance(Duration.ofMillis(1));
        JsonNode report = reap();

        // The old message and its two events: agent.registered and message.new.
        assertThat(report.get("prunedRows").asLong()).isEqualTo(3);
        assertThat(http.get("/api/messages/" + old).status()).isEqualTo(404);
        assertThat(http.get("/api/messages/" + recent).status()).isEqualTo(200);
        assertThat(http.get("/api/messages?for=alice").json().get("messages"))
                .extracting(m -> m.get("id").asLong()).containsExactly(recent);
        assertThat(events("message.new")).extracting(e -> e.get("data").get("id").asLong()).containsExactly(recent);
        assertThat(events("agent.registered")).isEmpty();
    }

    @Test
    void idsAreNotReusedAfterEverythingWasPruned() {
        startWith(Map.of("RETENTION_DAYS", "1"));
        relay.send("alice", "bob", "one");
        long last = relay.send("alice", "bob", "two").json().get("id").asLong();
        long lastEvent = http.get("/api/events").json().get("lastEventId").asLong();
        relay.clock().advance(DAY.plusMillis(1));
        assertThat(reap().get("prunedRows").asLong()).isEqualTo(4);
        assertThat(http.get("/api/messages").json().get("messages")).isEmpty();
        assertThat(http.get("/api/events").json().get("events")).isEmpty();

        long next = relay.send("alice", "bob", "three").json().get("id").asLong();

        assertThat(next).isGreaterThan(last);
        assertThat(events("message.new")).singleElement()
                .satisfies(event -> assertThat(event.get("id").asLong()).isGreaterThan(lastEvent));
    }

    @Test
    void retentionZeroKeepsEverything() {
        startWith(Map.of("RETENTION_DAYS", "0"));
        long id = relay.send("alice", "bob", "forever").json().get("id").asLong();
        relay.clock().advance(DAY.multipliedBy(400));

        assertThat(reap().get("prunedRows").asLong()).isZero();
        assertThat(http.get("/api/messages/" + id).status()).isEqualTo(200);
    }

    @Test
    void theReaperAlsoRunsOnItsOwnTimer() throws Exception {
        startWith(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis()),
                "AGENT_RELAY_REAP_INTERVAL_MS", "100"));
        relay.register("quiet");
        try (io.agentrelay.server.testing.SseClient stream = io.agentrelay.server.testing.SseClient.open(
                relay.url(), "/api/events/stream?types=agent.status", Map.of())) {
            relay.clock().advance(STALE_TTL.plusMillis(1));

            io.agentrelay.server.testing.SseClient.Frame frame = stream.nextEvent(Duration.ofSeconds(10));

            assertThat(frame).as("an agent.status event from a timer-driven reap").isNotNull();
            assertThat(frame.data().get("data").get("id").asText()).isEqualTo("quiet");
            assertThat(frame.data().get("data").get("status").asText()).isEqualTo("stale");
        }
    }

    private void startWith(Map<String, String> env) {
        relay = TestRelay.start(dir, env);
        http = relay.http();
    }

    private void heartbeat(String agentId) {
        assertThat(http.post("/api/agents/" + agentId + "/heartbeat", Map.of()).status()).isEqualTo(200);
    }

    private JsonNode reap() {
        Http.Response response = http.post("/api/system/reap", Map.of());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("ok").asBoolean()).isTrue();
        return response.json();
    }

    private String status(String agentId) {
        return http.get("/api/agents/" + agentId).json().get("status").asText();
    }

    private long lastSeenAt(String agentId) {
        return http.get("/api/agents/" + agentId).json().get("lastSeenAt").asLong();
    }

    /** The statuses announced by agent.status events about {@code agentId}, oldest first. */
    private List<String> statusEvents(String agentId) {
        return events("agent.status").stream()
                .filter(e -> agentId.equals(e.get("scope").get("agentId").asText()))
                .map(e -> e.get("data").get("status").asText())
                .toList();
    }

    private List<JsonNode> events(String type) {
        return relay.events(type);
    }

}
