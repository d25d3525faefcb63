package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.tasks.Transitions;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/tasks}: listing, claims, the transition table, and the reaper releasing held tasks. */
class TasksTest {
    static final String TOKEN = "monitor-token-0123456789";
    static final Duration STALE_TTL = Duration.ofSeconds(1);

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
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", TOKEN, List.of("tag:ops", "alice"), List.of("alerts", "builds"))
                .env(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis()),
                        "AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "1000")));
        http = relay.http();
    }

    private long raise(String target, String channel) {
        Map<String, Object> event = new HashMap<>();
        event.put("target", target);
        event.put("title", "something broke");
        if (channel != null) {
            event.put("channel", channel);
        }
        return relay.raiseTask(TOKEN, event);
    }

    private Http.Response claim(long id, String agentId) {
        return http.post("/api/tasks/" + id + "/claim", Map.of("agentId", agentId));
    }

    private Http.Response move(long id, String agentId, TaskStatus status) {
        return http.patch("/api/tasks/" + id + "/status", Map.of("agentId", agentId, "status", status.wire()));
    }

    private JsonNode task(long id) {
        return http.get("/api/tasks/" + id).json();
    }

    @Test
    void manyAgentsRacingForOneTaskGiveExactlyOneWinner() throws Exception {
        start();
        int racers = 12;
        for (int i = 0; i < racers; i++) {
            relay.register("agent-" + i, Map.of("tags", List.of("ops")));
        }
        long id = raise("tag:ops", null);

        List<Http.Response> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<Future<Http.Response>> claims = IntStream.range(0, racers).mapToObj(i -> pool.submit(() -> {
                go.await();
                return claim(id, "agent-" + i);
            })).toList();
            go.countDown();
            for (Future<Http.Response> claim : claims) {
                answers.add(claim.get());
            }
        }

        List<Http.Response> won = answers.stream().filter(r -> r.status() == 200).toList();
        assertThat(won).hasSize(1);
        String winner = won.get(0).json().get("claimedBy").asText();
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(racers - 1)
                .allSatisfy(r -> assertThat(r.json().get("claimedBy").asText()).isEqualTo(winner));
        JsonNode stored = task(id);
        assertThat(stored.get("status").asText()).isEqualTo("claimed");
        assertThat(stored.get("claimedBy").asText()).isEqualTo(winner);
        assertThat(IntegrationEventsTest.kinds(stored.get("events"))).containsExactly("created", "claimed");
        assertThat(claim(id, winner).status()).as("the holder claiming again keeps it").isEqualTo(200);
        assertThat(IntegrationEventsTest.kinds(task(id).get("events"))).containsExactly("created", "claimed");
    }

    @Test
    void aClaimNeedsAKnownTaskAKnownAgentAndATargetThatReachesIt() {
        start();
        relay.register("alice");
        relay.register("bob");
        long forAlice = raise("alice", null);

        assertThat(claim(forAlice, "nobody").status()).isEqualTo(404);
        Http.Response notReached = claim(forAlice, "bob");
        assertThat(notReached.status()).isEqualTo(403);
        assertThat(notReached.error()).contains("alice");
        assertThat(claim(forAlice + 100, "alice").status()).isEqualTo(404);
        assertThat(http.post("/api/tasks/abc/claim", Map.of("agentId", "alice")).status()).isEqualTo(400);
        assertThat(http.post("/api/tasks/" + forAlice + "/claim", Map.of()).json().get("field").asText())
                .isEqualTo("agentId");
        assertThat(task(forAlice).get("status").asText()).isEqualTo("open");
    }

    /**
     * Every (from, to) pair of statuses: the pairs in the table are accepted and recorded, every
     * other pair is a 409 that leaves the task as it was.
     */
    @Test
    void everyTransitionInTheTableIsAcceptedAndEveryOtherIsAConflict() {
        start();
        relay.register("alice", Map.of("tags", List.of("ops")));
        int legal = 0;
        for (TaskStatus from : TaskStatus.values()) {
            for (TaskStatus to : TaskStatus.values()) {
                long id = raise("tag:ops", null);
                bringTo(id, from);
                relay.clock().advance(Duration.ofSeconds(1));
                Http.Response response = http.patch("/api/tasks/" + id + "/status", Map.of("agentId", "alice",
                        "status", to.wire(), "progress", "step " + from.wire() + "->" + to.wire(), "result", "r"));
                JsonNode after = task(id);
                if (Transitions.allowed(from, to) || (from == TaskStatus.OPEN && to == TaskStatus.CLAIMED)) {
                    legal++;
                    assertThat(response.status()).as(from + " -> " + to + ": " + response.text()).isEqualTo(200);
                    assertThat(after.get("status").asText()).isEqualTo(to.wire());
                    assertThat(after.get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
                    if (to != TaskStatus.CLAIMED) {
                        assertThat(after.get("progress").asText()).isEqualTo("step " + from.wire() + "->" + to.wire());
                        assertThat(after.get("result").asText()).isEqualTo("r");
                    }
                    assertThat(after.get("closedAt").isNull()).isEqualTo(to.active());
                    JsonNode last = after.get("events").get(after.get("events").size() - 1);
                    assertThat(last.get("from").asText()).isEqualTo(from.wire());
                    assertThat(last.get("to").asText()).isEqualTo(to.wire());
                    assertThat(last.get("agentId").asText()).isEqualTo("alice");
                } else {
                    assertThat(response.status()).as(from + " -> " + to + ": " + response.text()).isEqualTo(409);
                    assertThat(response.json().get("status").asText()).isEqualTo(from.wire());
                    assertThat(after.get("status").asText()).isEqualTo(from.wire());
                }
            }
        }
        assertThat(legal).as("rows of the documented table").isEqualTo(2 + 5 + 5 + 5);
    }

    private void bringTo(long id, TaskStatus status) {
        if (status == TaskStatus.OPEN) {
            return;
        }
        assertThat(claim(id, "alice").status()).isEqualTo(200);
        if (status != TaskStatus.CLAIMED) {
            assertThat(move(id, "alice", status).status()).isEqualTo(200);
        }
    }

    @Test
    void onlyTheHolderMovesAClaimedTaskAndAnUnknownStatusIsRefused() {
        start();
        relay.register("alice", Map.of("tags", List.of("ops")));
        relay.register("bob", Map.of("tags", List.of("ops")));
        long id = raise("tag:ops", null);
        claim(id, "alice");

        Http.Response byBob = move(id, "bob", TaskStatus.DONE);
        assertThat(byBob.status()).isEqualTo(409);
        assertThat(byBob.json().get("claimedBy").asText()).isEqualTo("alice");
        Http.Response unknown = http.patch("/api/tasks/" + id + "/status", Map.of("agentId", "alice", "status", "finished"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("field").asText()).isEqualTo("status");
        assertThat(task(id).get("status").asText()).isEqualTo("claimed");
    }

    @Test
    void tasksAreListedNewestFirstWithFilters() {
        start();
        relay.register("alice", Map.of("tags", List.of("ops")));
        long a = raise("tag:ops", "alerts");
        long b = raise("alice", "builds");
        long c = raise("tag:ops", null);
        claim(c, "alice");

        assertThat(ids("/api/tasks")).containsExactly(c, b, a);
        assertThat(ids("/api/tasks?status=open")).containsExactly(b, a);
        assertThat(ids("/api/tasks?target=TAG:ops")).containsExactly(c, a);
        assertThat(ids("/api/tasks?channel=builds")).containsExactly(b);
        assertThat(ids("/api/tasks?limit=1")).containsExactly(c);
        assertThat(http.get("/api/tasks?status=sleeping").json().get("field").asText()).isEqualTo("status");
        assertThat(http.get("/api/tasks?limit=0").json().get("field").asText()).isEqualTo("limit");
        assertThat(http.get("/api/tasks/999").status()).isEqualTo(404);
    }

    @Test
    void theReaperReleasesTasksHeldByAgentsThatWentOfflineOrWereRemoved() {
        start();
        relay.register("alice", Map.of("tags", List.of("ops")));
        relay.register("bob", Map.of("tags", List.of("ops")));
        relay.register("carol", Map.of("tags", List.of("ops")));
        long byAlice = raise("tag:ops", null);
        long byBob = raise("tag:ops", null);
        long byCarol = raise("tag:ops", null);
        claim(byAlice, "alice");
        move(byAlice, "alice", TaskStatus.IN_PROGRESS);
        claim(byBob, "bob");
        claim(byCarol, "carol");
        assertThat(http.delete("/api/agents/bob").status()).isEqualTo(200);

        relay.clock().advance(STALE_TTL.multipliedBy(2).plusMillis(1));
        assertThat(http.post("/api/agents/carol/heartbeat", Map.of()).status()).isEqualTo(200);
        JsonNode report = http.post("/api/system/reap", Map.of()).json();

        assertThat(report.get("releasedTaskIds")).extracting(JsonNode::asLong).containsExactly(byAlice);
        assertThat(report.get("releasedOrphanedTaskIds")).extracting(JsonNode::asLong).containsExactly(byBob);
        for (long id : List.of(byAlice, byBob)) {
            JsonNode released = task(id);
            assertThat(released.get("status").asText()).isEqualTo("open");
            assertThat(released.get("claimedBy").isNull()).isTrue();
            assertThat(IntegrationEventsTest.kinds(released.get("events"))).last().isEqualTo("released");
        }
        assertThat(task(byCarol).get("claimedBy").asText()).isEqualTo("carol");
        assertThat(claim(byAlice, "carol").status()).as("claimable again").isEqualTo(200);
        JsonNode again = http.post("/api/system/reap", Map.of()).json();
        assertThat(again.get("releasedTaskIds")).isEmpty();
        assertThat(again.get("releasedOrphanedTaskIds")).isEmpty();
    }

    private List<Long> ids(String path) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        response.json().get("tasks").forEach(t -> ids.add(t.get("id").asLong()));
        return ids;
    }
}
