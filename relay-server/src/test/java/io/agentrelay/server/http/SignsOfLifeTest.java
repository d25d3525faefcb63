package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call an agent makes as itself counts as a sign of life, coalesced to one write per 5 s. */
class SignsOfLifeTest {
    /** TestRelay runs with the default STALE_TTL_MS of one minute: offline after two. */
    private static final Duration STALE_TTL = Duration.ofMinutes(1);

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

    private void start() {
        relay = TestRelay.start(dir);
        http = relay.http();
    }

    private long lastSeenAt(String agentId) {
        return http.get("/api/agents/" + agentId).json().get("lastSeenAt").asLong();
    }

    @Test
    void sendingPollingClaimingAndReadingEachRefreshLastSeenAt() {
        start();
        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("bob");

        relay.clock().advance(Duration.ofSeconds(30));
        long work = relay.send("bob", "tag:review", "review PR 42", Map.of("claimable", true)).json().get("id").asLong();
        assertThat(lastSeenAt("bob")).as("send").isEqualTo(relay.clock().millis());

        relay.clock().advance(Duration.ofSeconds(30));
        http.get("/api/messages?for=alice");
        assertThat(lastSeenAt("alice")).as("inbox poll").isEqualTo(relay.clock().millis());

        relay.clock().advance(Duration.ofSeconds(30));
        assertThat(http.post("/api/messages/" + work + "/claim", Map.of("agentId", "alice")).status()).isEqualTo(200);
        assertThat(lastSeenAt("alice")).as("claim").isEqualTo(relay.clock().millis());

        relay.clock().advance(Duration.ofSeconds(30));
        http.post("/api/messages/" + work + "/read", Map.of("agentId", "alice"));
        assertThat(lastSeenAt("alice")).as("read").isEqualTo(relay.clock().millis());

        relay.clock().advance(Duration.ofSeconds(30));
        http.get("/api/messages/cursor?for=bob");
        assertThat(lastSeenAt("bob")).as("cursor").isEqualTo(relay.clock().millis());
    }

    @Test
    void aPersonWorkingThroughTheCliKeepsTheClaimTheyTook() {
        start();
        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("bob");
        long work = relay.send("bob", "tag:review", "review PR 42", Map.of("claimable", true)).json().get("id").asLong();
        http.post("/api/messages/" + work + "/claim", Map.of("agentId", "alice"));

        // A command every 100 s, never a heartbeat, for 200 s: past 2 × STALE_TTL_MS (offline, and
        // the claim released, before), within the claim's 5 minutes.
        for (int i = 0; i < 2; i++) {
            relay.clock().advance(Duration.ofSeconds(100));
            http.get("/api/messages?for=alice");
            relay.reap();
        }

        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("online");
        assertThat(http.get("/api/messages/" + work).json().get("claimedBy").asText()).isEqualTo("alice");
    }

    @Test
    void aStaleAgentThatSendsIsOnlineAgainWithAStatusEvent() {
        start();
        relay.register("bob");
        relay.clock().advance(STALE_TTL.plusSeconds(1));
        relay.reap();
        assertThat(http.get("/api/agents/bob").json().get("status").asText()).isEqualTo("stale");

        relay.send("bob", "alice", "back");

        assertThat(http.get("/api/agents/bob").json().get("status").asText()).isEqualTo("online");
        assertThat(relay.events("agent.status")).extracting(e -> e.get("data").get("status").asText())
                .containsExactly("stale", "online");
    }

    @Test
    void refreshesAreCoalescedSoABusySenderIsNotWrittenOnEverySend() {
        start();
        relay.register("bob");
        relay.clock().advance(Duration.ofSeconds(10));
        relay.send("bob", "alice", "one");
        long refreshed = relay.clock().millis();

        relay.clock().advance(Duration.ofSeconds(4));
        relay.send("bob", "alice", "two");
        http.get("/api/messages?for=bob");
        assertThat(lastSeenAt("bob")).as("within 5 s of the last refresh").isEqualTo(refreshed);

        relay.clock().advance(Duration.ofSeconds(1));
        relay.send("bob", "alice", "three");
        assertThat(lastSeenAt("bob")).isEqualTo(relay.clock().millis());
        assertThat(relay.events("agent.status")).as("no status change, no event").isEmpty();
    }

    @Test
    void workingOnATaskIsASignOfLife() {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", "monitor-token-0123456789", List.of("tasks:create"), List.of("tag:ops"), List.of(), null, null)
                .env());
        http = relay.http();
        relay.register("alice", Map.of("tags", List.of("ops")));
        long task = relay.raiseTask("monitor-token-0123456789", Map.of("target", "tag:ops", "title", "disk full"));

        relay.clock().advance(Duration.ofSeconds(30));
        http.post("/api/tasks/" + task + "/claim", Map.of("agentId", "alice"));
        assertThat(lastSeenAt("alice")).as("task claim").isEqualTo(relay.clock().millis());

        relay.clock().advance(Duration.ofSeconds(30));
        JsonNode updated = http.patch("/api/tasks/" + task + "/status",
                Map.of("agentId", "alice", "status", "in_progress")).json();
        assertThat(updated.get("status").asText()).isEqualTo("in_progress");
        assertThat(lastSeenAt("alice")).as("task update").isEqualTo(relay.clock().millis());
    }
}
