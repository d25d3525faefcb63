package io.agentrelay.server.http;

import static io.agentrelay.server.testing.JsonLists.longs;
import static io.agentrelay.server.testing.JsonLists.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy:} and {@code pool:} targets over HTTP: a message waits ({@code queued},
 * {@code message.queued}) until the policy's agent or a pool member is there, is then delivered to
 * exactly one agent ({@code message.available}, {@code message.new}, {@code resolvedToAgent}), or
 * expires after its {@code maxAgeSeconds} ({@code message.expired}).
 */
class QueuedDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", "1000"));
        http = relay.http();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aPolicyMessageWaitsForThePolicysAgentAndReachesOnlyIt() throws Exception {
        relay.register("carol");
        relay.register("bystander", Map.of("tags", List.of("night-shift")));
        JsonNode sent;
        try (SseClient carol = SseClient.open(relay.url(), "/api/events/stream?agentId=carol", Map.of())) {
            sent = relay.send("carol", "policy:night-shift", "check the build", Map.of("subject", "ci")).json();
            SseClient.Frame queued = carol.nextEvent(WAIT);
            assertThat(queued.event()).isEqualTo("message.queued");
            assertThat(queued.data().get("source").asText()).isEqualTo("carol");
            assertThat(queued.data().get("subject").asText()).isEqualTo(sent.get("id").asText());
            assertThat(queued.data().get("data").get("deliveryStatus").asText()).isEqualTo("queued");
        }
        long id = sent.get("id").asLong();
        assertThat(sent.get("deliveryStatus").asText()).isEqualTo("queued");
        assertThat(sent.get("resolvedToAgent").isNull()).isTrue();
        assertThat(relay.events("message.new")).as("a queued message is not new to anyone yet").isEmpty();
        assertThat(ids(http.get("/api/messages/queued?for=policy:night-shift").json())).containsExactly(id);
        assertThat(ids(http.get("/api/messages/queued?for=POLICY:night-shift").json()))
                .as("the prefix is matched as any target's is").containsExactly(id);
        assertThat(http.get("/api/messages/queued?for=policy:day-shift").json()).isEmpty();
        assertThat(inbox("bystander")).as("a tag of the same name is not the policy").isEmpty();
        JsonNode waiting = http.get("/api/messages/" + id + "/status").json();
        assertThat(waiting.get("deliveryStatus").asText()).isEqualTo("queued");
        assertThat(waiting.get("recipients")).isEmpty();

        try (SseClient worker = SseClient.open(relay.url(),
                "/api/events/stream?agentId=worker-1&types=message.available,message.new", Map.of())) {
            relay.register("worker-1", Map.of("meta", Map.of("policyName", "night-shift", "spawnRequestId", "sp_1")));
            SseClient.Frame available = worker.nextEvent(WAIT);
            SseClient.Frame arrived = worker.nextEvent(WAIT);

            assertThat(available.event()).isEqualTo("message.available");
            assertThat(available.data().get("subject").asText()).isEqualTo("policy:night-shift");
            assertThat(available.data().get("data").get("policyName").asText()).isEqualTo("night-shift");
            assertThat(available.data().get("data").get("agentId").asText()).isEqualTo("worker-1");
            assertThat(longs(available.data().get("data").get("messageIds"))).containsExactly(id);
            assertThat(available.data().get("data").get("count").asInt()).isEqualTo(1);
            assertThat(arrived.event()).isEqualTo("message.new");
            assertThat(arrived.data().get("data").get("id").asLong()).isEqualTo(id);
            assertThat(arrived.data().get("data").get("resolvedToAgent").asText()).isEqualTo("worker-1");
        }
        assertThat(ids(inbox("worker-1"))).containsExactly(id);
        assertThat(inbox("bystander")).isEmpty();
        assertThat(http.get("/api/messages/queued?for=policy:night-shift").json()).isEmpty();
        JsonNode delivered = http.get("/api/messages/" + id + "/status").json();
        assertThat(delivered.get("deliveryStatus").asText()).isEqualTo("delivered");
        assertThat(delivered.get("resolvedToAgent").asText()).isEqualTo("worker-1");
        assertThat(strings(delivered.get("recipients"))).containsExactly("worker-1");

        long direct = relay.send("carol", "policy:night-shift", "and the docs").json().get("id").asLong();
        JsonNode atOnce = http.get("/api/messages/" + direct).json();
        assertThat(atOnce.get("deliveryStatus").asText()).as("the policy's agent is there").isEqualTo("delivered");
        assertThat(atOnce.get("resolvedToAgent").asText()).isEqualTo("worker-1");
        assertThat(ids(inbox("worker-1"))).containsExactly(id, direct);
        assertThat(relay.events("message.queued")).hasSize(1);
    }

    @Test
    void aClaimableQueuedMessageIsClaimedOnlyByTheAgentItWasDeliveredTo() {
        relay.register("carol");
        long id = relay.send("carol", "policy:ops", "page", Map.of("claimable", true)).json().get("id").asLong();
        relay.register("other");

        assertThat(http.post("/api/messages/" + id + "/claim", Map.of("agentId", "other")).status())
                .as("nobody receives a queued message").isEqualTo(403);
        relay.register("ops-agent", Map.of("meta", Map.of("policyName", "ops")));

        assertThat(http.post("/api/messages/" + id + "/claim", Map.of("agentId", "other")).status()).isEqualTo(403);
        Http.Response claimed = http.post("/api/messages/" + id + "/claim", Map.of("agentId", "ops-agent"));
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(claimed.json().get("claimedBy").asText()).isEqualTo("ops-agent");
    }

    @Test
    void aQueuedMessageExpiresAfterItsMaxAgeAndIsNeverDelivered() throws Exception {
        relay.register("carol");
        long shortLived = relay.send("carol", "policy:nightly", "soon stale", Map.of("maxAgeSeconds", 60))
                .json().get("id").asLong();
        long patient = relay.send("carol", "policy:nightly", "no limit").json().get("id").asLong();
        long atOnce = relay.send("carol", "pool:nobody", "zero", Map.of("maxAgeSeconds", 0)).json().get("id").asLong();

        relay.clock().advance(Duration.ofSeconds(59));
        assertThat(longs(relay.reap().get("expiredQueuedMessageIds"))).containsExactly(atOnce);
        relay.clock().advance(Duration.ofSeconds(1));
        JsonNode report = relay.reap();

        assertThat(longs(report.get("expiredQueuedMessageIds"))).containsExactly(shortLived);
        assertThat(relay.events("message.expired")).extracting(e -> e.get("data").get("id").asLong())
                .containsExactly(atOnce, shortLived);
        JsonNode expired = relay.events("message.expired").get(1);
        assertThat(expired.get("source").asText()).isEqualTo("server");
        assertThat(expired.get("data").get("deliveryStatus").asText()).isEqualTo("expired");
        assertThat(http.get("/api/messages/" + shortLived).json().get("deliveryStatus").asText()).isEqualTo("expired");
        assertThat(relay.events("activity.reported")).last().satisfies(item ->
                assertThat(item.get("data").get("body").asText()).contains("1 queued message(s)"));

        relay.register("nightly-agent", Map.of("meta", Map.of("policyName", "nightly")));
        assertThat(ids(inbox("nightly-agent"))).containsExactly(patient);
        assertThat(relay.reap().get("expiredQueuedMessageIds")).as("delivered messages do not expire").isEmpty();
    }

    @Test
    void aPoolDealsItsMessagesToOneMemberEachInTurn() {
        relay.register("carol");
        for (String worker : List.of("w1", "w2", "w3")) {
            relay.register(worker, Map.of("meta", Map.of("pool", "builders")));
        }
        relay.register("w4", Map.of("meta", Map.of("pools", List.of("other", "builders"))));
        relay.register("outsider", Map.of("meta", Map.of("pool", "testers")));

        Map<String, Integer> dealt = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            JsonNode sent = relay.send("carol", "pool:builders", "job " + i).json();
            assertThat(sent.get("deliveryStatus").asText()).isEqualTo("delivered");
            dealt.merge(sent.get("resolvedToAgent").asText(), 1, Integer::sum);
        }

        assertThat(dealt).containsExactlyInAnyOrderEntriesOf(Map.of("w1", 2, "w2", 2, "w3", 2, "w4", 2));
        assertThat(inbox("outsider")).isEmpty();
        assertThat(inbox("w1")).hasSize(2);
        assertThat(relay.events("message.new")).allSatisfy(event ->
                assertThat(event.get("scope").get("target").asText())
                        .as("addressed on the streams to the member").isEqualTo(event.get("data").get("resolvedToAgent").asText()));

        http.post("/api/agents/w1/heartbeat", Map.of("status", "busy"));
        for (int i = 0; i < 3; i++) {
            assertThat(relay.send("carol", "pool:builders", "more " + i).json().get("resolvedToAgent").asText())
                    .as("a busy member waits while another is free").isNotEqualTo("w1");
        }
    }

    @Test
    void aPoolsBacklogGoesToTheFirstMemberAndAStaleMemberIsSkippedUntilItIsBack() {
        relay.register("carol");
        List<Long> backlog = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            backlog.add(relay.send("carol", "pool:builders", "early " + i).json().get("id").asLong());
        }
        relay.register("w1", Map.of("meta", Map.of("pool", "builders")));
        assertThat(ids(inbox("w1"))).containsExactlyElementsOf(backlog);
        JsonNode available = relay.events("message.available").get(0);
        assertThat(available.get("data").get("poolName").asText()).isEqualTo("builders");
        assertThat(available.get("subject").asText()).isEqualTo("pool:builders");

        relay.clock().advance(Duration.ofMillis(1_001));
        relay.reap();
        assertThat(http.get("/api/agents/w1").json().get("status").asText()).isEqualTo("stale");
        long waiting = relay.send("carol", "pool:builders", "while stale").json().get("id").asLong();
        assertThat(http.get("/api/messages/" + waiting).json().get("deliveryStatus").asText()).isEqualTo("queued");

        http.post("/api/agents/w1/heartbeat", Map.of());
        relay.reap();

        assertThat(http.get("/api/messages/" + waiting).json().get("resolvedToAgent").asText())
                .as("the reaper delivers what waits for a member that came back").isEqualTo("w1");
    }

    @Test
    void racingRegistrationsOfTwoMembersDeliverEachQueuedMessageOnce() throws Exception {
        relay.register("carol");
        List<Long> backlog = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            backlog.add(relay.send("carol", "pool:racers", "job " + i).json().get("id").asLong());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> registrations = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = "r" + i;
                registrations.add(() -> http.post("/api/agents", Map.of("id", id, "name", id,
                        "meta", Map.of("pool", "racers"))).status());
            }
            for (Future<Integer> status : pool.invokeAll(registrations)) {
                assertThat(status.get()).isIn(200, 201);
            }
        } finally {
            pool.shutdown();
        }

        List<Long> received = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            received.addAll(ids(inbox("r" + i)));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(backlog);
        assertThat(relay.events("message.new")).hasSize(backlog.size());
    }

    @Test
    void queuedValidatesItsParameters() {
        assertThat(http.get("/api/messages/queued").status()).isEqualTo(400);
        assertThat(http.get("/api/messages/queued").error()).contains("for");
        assertThat(http.get("/api/messages/queued?for=policy:").error()).contains("needs a name");
        assertThat(http.get("/api/messages/queued?for=policy:x&limit=501").status()).isEqualTo(400);
        relay.register("carol");
        for (int i = 0; i < 3; i++) {
            relay.send("carol", "policy:x", "m" + i);
        }
        assertThat(http.get("/api/messages/queued?for=policy:x&limit=2").json()).hasSize(2);
    }

    private JsonNode inbox(String agentId) {
        Http.Response response = http.get("/api/messages?for=" + agentId);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get("messages");
    }

    private static List<Long> ids(JsonNode messages) {
        List<Long> ids = new ArrayList<>();
        messages.forEach(message -> ids.add(message.get("id").asLong()));
        return ids;
    }
}
