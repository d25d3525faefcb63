package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.CallbackReceiver;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three relay processes on one PostgreSQL database, as a cluster behind a load balancer runs:
 * writes through any node reach streams on every node, a claim race spread over the nodes has one
 * winner, and a client whose node is killed with SIGKILL resumes on another node with its last
 * event id and receives every later event exactly once. One cluster serves the class (three JVMs
 * are slow to start); each test uses agents of its own, and the kill comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("process")
class ClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String INTEGRATION_TOKEN = "cluster-monitor-token-0123";

    private final List<RelayProcess> processes = new ArrayList<>();
    private CallbackReceiver receiver;
    private final List<Http> nodes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();

    @BeforeAll
    void startThreeNodes() throws Exception {
        receiver = CallbackReceiver.start();
        // Every node has the integration and so a callback dispatcher of its own.
        Map<String, String> env = Integrations.of()
                .add("monitor", INTEGRATION_TOKEN, List.of("tasks:create"), List.of("tag:ops"), List.of(),
                        receiver.url(), null)
                .env(Map.of("AGENT_RELAY_DATABASE_URL", TestPostgres.newDatabase(),
                        "AGENT_RELAY_REAP_INTERVAL_MS", "3600000"));
        for (int i = 0; i < 3; i++) {
            processes.add(RelayProcess.start(env, "serve", "--port", "0"));
        }
        for (RelayProcess process : processes) {
            String url = process.awaitUrl();
            urls.add(url);
            nodes.add(new Http(url));
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (RelayProcess process : processes) {
            process.killHard();
        }
        receiver.close();
    }

    @Test
    @Order(1)
    void everyNodeSaysItRunsOnPostgresqlAndWhichNodeItIs() {
        Set<String> instances = new LinkedHashSet<>();
        for (Http node : nodes) {
            JsonNode health = node.get("/api/health").json();
            assertThat(health.get("store").asText()).isEqualTo("postgresql");
            assertThat(health.get("node").asText()).isNotBlank();
            instances.add(health.get("instanceId").asText());
        }
        assertThat(instances).hasSize(3);
    }

    @Test
    @Order(2)
    void aWriteThroughOneNodeReachesAStreamOnAnother() throws Exception {
        register(nodes.get(0), "ann", List.of("watching"));
        try (SseClient stream = SseClient.open(urls.get(1), "/api/events/stream?agentId=ann&types=message.new",
                Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            send(nodes.get(0), "bob", "tag:watching", "through node 1");
            send(nodes.get(2), "bob", "ann", "through node 3");

            List<SseClient.Frame> frames = stream.events(2, WAIT);
            assertThat(frames).extracting(frame -> frame.data().get("data").get("body").asText())
                    .containsExactly("through node 1", "through node 3");
        }
    }

    @Test
    @Order(3)
    void thirtyClaimersSpreadOverTheNodesHaveExactlyOneWinner() throws Exception {
        for (int i = 0; i < 30; i++) {
            register(nodes.get(i % 3), "claimer-" + i, List.of("review"));
        }
        long id = send(nodes.get(0), "bob", "tag:review", "one of you").get("id").asLong();

        List<CompletableFuture<Http.Response>> claims = new ArrayList<>();
        try (ExecutorService claimers = Executors.newFixedThreadPool(30)) {
            for (int i = 0; i < 30; i++) {
                Http node = nodes.get(i % 3);
                String agent = "claimer-" + i;
                claims.add(CompletableFuture.supplyAsync(() ->
                        node.post("/api/messages/" + id + "/claim", Map.of("agentId", agent)), claimers));
            }
        }
        List<Integer> statuses = claims.stream().map(CompletableFuture::join).map(Http.Response::status).toList();

        assertThat(statuses).containsOnly(200, 409).containsOnlyOnce(200);
        String winner = "claimer-" + statuses.indexOf(200);
        for (Http node : nodes) {
            assertThat(node.get("/api/messages/" + id).json().get("claimedBy").asText()).isEqualTo(winner);
        }
    }

    @Test
    @Order(4)
    void eachTaskCallbackIsSentByOneNode() throws Exception {
        register(nodes.get(0), "oncall", List.of("ops"));
        Http.Response raised = nodes.get(1).with("Authorization", "Bearer " + INTEGRATION_TOKEN)
                .post("/api/integrations/events", Map.of("target", "tag:ops", "title", "Disk full"));
        assertThat(raised.status()).as(raised.text()).isEqualTo(201);
        long task = raised.json().get("task").get("id").asLong();
        Http.Response claimed = nodes.get(2).post("/api/tasks/" + task + "/claim", Map.of("agentId", "oncall"));
        assertThat(claimed.status()).as(claimed.text()).isEqualTo(200);

        // Two callbacks (created, claimed), each sent once: the node that leased it sends it.
        CallbackReceiver.Received first = receiver.next(WAIT);
        CallbackReceiver.Received second = receiver.next(WAIT);
        assertThat(List.of(first, second)).extracting(r -> r.json().get("task").get("status").asText())
                .containsExactly("open", "claimed");
        JsonNode deliveries = awaitDelivered(2);
        assertThat(receiver.all()).as("no callback sent twice").hasSize(2);
        for (JsonNode delivery : deliveries) {
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        }
    }

    private JsonNode awaitDelivered(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode deliveries = nodes.get(0).get("/api/integrations/monitor/deliveries").json().get("deliveries");
            long delivered = 0;
            for (JsonNode delivery : deliveries) {
                if (delivery.get("status").asText().equals("delivered")) {
                    delivered++;
                }
            }
            if (delivered == count) {
                return deliveries;
            }
            assertThat(System.nanoTime()).as("%d deliveries recorded as delivered: %s", count, deliveries)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    @Order(5)
    void aClientWhoseNodeIsKilledResumesOnAnotherAndMissesNothing() throws Exception {
        register(nodes.get(2), "alice", List.of());
        List<Long> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        List<SseClient.Frame> received = new ArrayList<>();
        try (SseClient first = SseClient.open(urls.get(0), "/api/events/stream?agentId=alice&types=message.new",
                Map.of())) {
            for (int i = 0; i < 10; i++) {
                sent.add(send(nodes.get(1 + i % 2), "bob", "alice", "before " + i).get("id").asLong());
            }
            received.addAll(first.events(10, WAIT));
            assertThat(received).hasSize(10);
            // Node 1 dies while writes go on through the other nodes.
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    sent.add(send(nodes.get(1 + i % 2), "bob", "alice", "during " + i).get("id").asLong());
                }
            });
            processes.get(0).killHard();
            writes.join();
            // Whatever node 1 managed to pass on before it died counts as received.
            while (true) {
                SseClient.Frame frame = first.nextEvent(Duration.ofMillis(200));
                if (frame == null || SseClient.isEnd(frame)) {
                    break;
                }
                received.add(frame);
            }
        }
        long lastEventId = received.get(received.size() - 1).id();
        for (int i = 0; i < 10; i++) {
            sent.add(send(nodes.get(1), "bob", "alice", "after " + i).get("id").asLong());
        }

        try (SseClient resumed = SseClient.open(urls.get(2), "/api/events/stream?agentId=alice&types=message.new",
                Map.of("Last-Event-ID", Long.toString(lastEventId)))) {
            received.addAll(resumed.events(sent.size() - received.size(), WAIT));
        }

        List<Long> messageIds = received.stream().map(frame -> frame.data().get("data").get("id").asLong()).toList();
        assertThat(messageIds).as("every message exactly once, in order").containsExactlyElementsOf(sent.stream().sorted().toList());
        List<Long> eventIds = received.stream().map(SseClient.Frame::id).toList();
        assertThat(eventIds).isSorted().doesNotHaveDuplicates();
    }

    private static void register(Http node, String id, List<String> tags) {
        Http.Response response = node.post("/api/agents", Map.of("id", id, "name", id, "tags", tags));
        assertThat(response.status()).as(response.text()).isIn(200, 201);
    }

    private static JsonNode send(Http node, String from, String to, String body) {
        Http.Response response = node.post("/api/messages", Map.of("from", from, "to", to, "body", body,
                "claimable", to.startsWith("tag:")));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode json = response.json();
        return json.has("message") ? json.get("message") : json;
    }
}
