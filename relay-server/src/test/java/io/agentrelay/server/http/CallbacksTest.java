package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.CallbackReceiver;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestClock;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.TestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task callbacks against a real HTTP receiver: signed, in order, retried with backoff, given up
 * after the attempt limit, and resumed after a restart. Time moves by the test clock; the test asks
 * the dispatcher to run what is due ({@code runDue}) instead of waiting for its timer.
 */
class CallbacksTest {
    static final String TOKEN = "monitor-token-0123456789";
    static final String SECRET = "shared-hmac-secret";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    TestRelay relay;
    CallbackReceiver receiver;

    @BeforeEach
    void receiver() {
        receiver = CallbackReceiver.start();
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        receiver.close();
    }

    private Map<String, String> env(String secret, Map<String, String> more) {
        return Integrations.of()
                .add("monitor", TOKEN, List.of("tasks:create"), List.of("tag:ops"), List.of(), receiver.url(), secret)
                .env(more);
    }

    private long raise(String dedupeKey) {
        Http.Response response = relay.http().with("Authorization", "Bearer " + TOKEN).post("/api/integrations/events",
                Map.of("target", "tag:ops", "title", "Disk full", "dedupeKey", dedupeKey));
        assertThat(response.status()).as(response.text()).isBetween(200, 201);
        return response.json().get("task").get("id").asLong();
    }

    private void runDue() throws Exception {
        relay.server().callbacks().runDue().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private JsonNode deliveries() {
        Http.Response response = relay.http().get("/api/integrations/monitor/deliveries");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("deliveries");
    }

    @Test
    void everyStatusChangeIsCalledBackInOrderWithASignatureTheReceiverCanVerify() throws Exception {
        relay = TestRelay.start(dir, env(SECRET, Map.of()));
        relay.register("alice", Map.of("tags", List.of("ops")));
        Http http = relay.http();

        long id = raise("disk");
        raise("disk");
        assertThat(http.post("/api/tasks/" + id + "/claim", Map.of("agentId", "alice")).status()).isEqualTo(200);
        assertThat(http.patch("/api/tasks/" + id + "/status", Map.of("agentId", "alice", "status", "in_progress",
                "progress", "cleaning /var/log")).status()).isEqualTo(200);
        assertThat(http.patch("/api/tasks/" + id + "/status", Map.of("agentId", "alice", "status", "done",
                "result", "freed 40 GB")).status()).isEqualTo(200);
        runDue();

        List<CallbackReceiver.Received> calls = receiver.all();
        assertThat(CallbackReceiver.field(calls, "task", "status"))
                .as("created, claimed, in progress, done — the repeated event is not a status change")
                .containsExactly("open", "claimed", "in_progress", "done");
        for (CallbackReceiver.Received call : calls) {
            assertThat(call.header("X-Agent-Relay-Signature")).isEqualTo("sha256=" + hmacHex(SECRET, call.body()));
            JsonNode body = call.json();
            assertThat(body.get("event").asText()).isEqualTo("task.status");
            assertThat(body.get("task").get("id").asLong()).isEqualTo(id);
            assertThat(call.header("X-Agent-Relay-Event")).isEqualTo("task.status");
            assertThat(call.header("X-Agent-Relay-Delivery")).isEqualTo(body.get("deliveryId").asText());
            assertThat(call.header("X-Agent-Relay-Timestamp")).isEqualTo(body.get("timestamp").asText());
            assertThat(call.header("X-Agent-Relay-Attempt")).isEqualTo("1");
            assertThat(call.header("Content-Type")).startsWith("application/json");
        }
        assertThat(calls).extracting(c -> c.header("X-Agent-Relay-Delivery")).doesNotHaveDuplicates();
        JsonNode done = calls.get(3).json().get("task");
        assertThat(done.get("result").asText()).isEqualTo("freed 40 GB");
        assertThat(done.get("progress").asText()).isEqualTo("cleaning /var/log");
        assertThat(done.get("claimedBy").asText()).isEqualTo("alice");
        // A tampered body no longer matches its signature.
        byte[] tampered = calls.get(3).text().replace("freed 40 GB", "freed 0 GB").getBytes(StandardCharsets.UTF_8);
        assertThat(calls.get(3).header("X-Agent-Relay-Signature")).isNotEqualTo("sha256=" + hmacHex(SECRET, tampered));

        JsonNode deliveries = deliveries();
        assertThat(deliveries).hasSize(4).allSatisfy(d -> {
            assertThat(d.get("status").asText()).isEqualTo("delivered");
            assertThat(d.get("attempts").asInt()).isEqualTo(1);
            assertThat(d.get("log")).singleElement().satisfies(a -> assertThat(a.get("statusCode").asInt()).isEqualTo(200));
        });
    }

    @Test
    void callbacksArePlainHttp11WithoutAnUpgradeToH2c() throws Exception {
        relay = TestRelay.start(dir, env(null, Map.of()));

        raise("disk");
        runDue();

        CallbackReceiver.Received call = receiver.next(WAIT);
        assertThat(call.header("Upgrade")).isNull();
        assertThat(call.header("HTTP2-Settings")).isNull();
        assertThat(String.valueOf(call.header("Connection"))).doesNotContainIgnoringCase("upgrade");
    }

    @Test
    void withoutASecretCallbacksAreSentUnsigned() throws Exception {
        relay = TestRelay.start(dir, env(null, Map.of()));

        raise("disk");
        runDue();

        CallbackReceiver.Received call = receiver.next(WAIT);
        assertThat(call.header("X-Agent-Relay-Signature")).isNull();
        assertThat(call.header("X-Agent-Relay-Delivery")).isNotNull();
    }

    @Test
    void aReceiverThatFailsFirstIsTriedAgainWithBackoffUntilItAnswersAndEveryAttemptIsRecorded() throws Exception {
        relay = TestRelay.start(dir, env(SECRET, Map.of()));
        receiver.answer(500, 503);
        TestClock clock = relay.clock();

        raise("disk");
        runDue();
        JsonNode first = deliveries().get(0);
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("lastStatusCode").asInt()).isEqualTo(500);
        // Backoff after the first failure: between half of 1 s and 1 s.
        assertThat(first.get("nextAttemptAt").asLong() - clock.millis()).isBetween(500L, 1_000L);

        runDue();
        assertThat(receiver.all()).as("not due yet: no new attempt").hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        runDue();
        JsonNode second = deliveries().get(0);
        assertThat(second.get("attempts").asInt()).isEqualTo(2);
        assertThat(second.get("lastStatusCode").asInt()).isEqualTo(503);
        assertThat(second.get("nextAttemptAt").asLong() - clock.millis()).isBetween(1_000L, 2_000L);

        clock.advance(Duration.ofSeconds(2));
        runDue();
        JsonNode delivered = deliveries().get(0);
        assertThat(delivered.get("status").asText()).isEqualTo("delivered");
        assertThat(delivered.get("deliveredAt").asLong()).isEqualTo(clock.millis());
        assertThat(delivered.get("log")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 503, 200);
        assertThat(delivered.get("log")).extracting(a -> a.get("attempt").asInt()).containsExactly(1, 2, 3);
        List<CallbackReceiver.Received> calls = receiver.all();
        assertThat(calls).hasSize(3);
        assertThat(calls).extracting(c -> c.header("X-Agent-Relay-Delivery")).containsOnly(delivered.get("id").asText());
        assertThat(calls).extracting(c -> c.header("X-Agent-Relay-Attempt")).containsExactly("1", "2", "3");
        assertThat(calls).allSatisfy(c ->
                assertThat(c.header("X-Agent-Relay-Signature")).isEqualTo("sha256=" + hmacHex(SECRET, c.body())));
    }

    @Test
    void aCallbackIsGivenUpAsFailedAfterTheAttemptLimit() throws Exception {
        relay = TestRelay.start(dir, env(SECRET, Map.of("AGENT_RELAY_CALLBACK_MAX_ATTEMPTS", "3")));
        receiver.answer(500, 500, 500, 500);

        raise("disk");
        for (int i = 0; i < 5; i++) {
            runDue();
            relay.clock().advance(Duration.ofHours(1));
        }

        JsonNode failed = deliveries().get(0);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("lastError").asText()).contains("500");
        assertThat(receiver.all()).hasSize(3);
    }

    @Test
    void aCallbackPendingWhenTheRelayStopsIsDeliveredAfterARestartOnTheSameDatabase() throws Exception {
        Map<String, String> env = env(SECRET, Map.of());
        relay = TestRelay.start(dir, env);
        receiver.answer(503);
        raise("disk");
        runDue();
        assertThat(deliveries().get(0).get("status").asText()).isEqualTo("pending");
        TestClock clock = relay.clock();
        TestStore database = relay.database();
        relay.close();
        relay = null;

        clock.advance(Duration.ofMinutes(5));
        relay = TestRelay.restart(database, clock, env);

        // The restarted dispatcher resumes on its own: wait for the receiver to hear it.
        receiver.next(WAIT);
        CallbackReceiver.Received resumed = receiver.next(WAIT);
        assertThat(resumed.header("X-Agent-Relay-Attempt")).isEqualTo("2");
        assertThat(resumed.header("X-Agent-Relay-Signature")).isEqualTo("sha256=" + hmacHex(SECRET, resumed.body()));
        runDue();
        JsonNode delivered = deliveries().get(0);
        assertThat(delivered.get("status").asText()).isEqualTo("delivered");
        assertThat(delivered.get("log")).extracting(a -> a.get("statusCode").asInt()).containsExactly(503, 200);
    }

    /**
     * A receiver that reads a callback, answers 200 with a Content-Length of 100, sends one byte of
     * that body and then nothing, holding the connection open.
     */
    static final class StallingReceiver implements AutoCloseable {
        final java.net.ServerSocket server;
        final java.util.concurrent.BlockingQueue<String> requests = new java.util.concurrent.LinkedBlockingQueue<>();
        final List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

        StallingReceiver() throws java.io.IOException {
            server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon(true).name("stalling-receiver").start(this::serve);
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/stall";
        }

        private void serve() {
            try {
                while (true) {
                    java.net.Socket socket = server.accept();
                    held.add(socket);
                    java.io.InputStream in = socket.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.append((char) b);
                    }
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    requests.add(head.toString());
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aReceiverThatStallsItsAnswerHoldsUpNoOtherIntegration() throws Exception {
        try (StallingReceiver stalling = new StallingReceiver()) {
            relay = TestRelay.start(dir, Integrations.of()
                    .add("stalled", "stalled-token-0123456789", List.of("tasks:create"), List.of("tag:ops"), List.of(),
                            stalling.url(), null)
                    .add("monitor", TOKEN, List.of("tasks:create"), List.of("tag:ops"), List.of(), receiver.url(), null)
                    .env(Map.of("AGENT_RELAY_CALLBACK_TIMEOUT_MS", "600000")));
            relay.raiseTask("stalled-token-0123456789", Map.of("target", "tag:ops", "title", "stuck"));
            // The stalled receiver has the callback and is sitting on its answer.
            assertThat(stalling.requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();

            raise("disk");

            CallbackReceiver.Received call = receiver.next(WAIT);
            assertThat(call.json().get("task").get("title").asText()).isEqualTo("Disk full");
        }
    }

    @Test
    void theTimeoutCoversTheWholeAnswerAndARetryFollowsTheDocumentedBackoff() throws Exception {
        try (StallingReceiver stalling = new StallingReceiver()) {
            relay = TestRelay.start(dir, Integrations.of()
                    .add("monitor", TOKEN, List.of("tasks:create"), List.of("tag:ops"), List.of(), stalling.url(), null)
                    .env(Map.of("AGENT_RELAY_CALLBACK_TIMEOUT_MS", "300")));
            TestClock clock = relay.clock();
            raise("disk");

            // Each attempt ends at the timeout, though the receiver sent its headers in time; the
            // wait before the next one is 1 s, 2 s, 4 s (each with jitter down to half) after it.
            long[] backoff = {1_000, 2_000, 4_000};
            for (int attempt = 1; attempt <= 3; attempt++) {
                runDue();
                JsonNode delivery = deliveries().get(0);
                assertThat(delivery.get("attempts").asInt()).isEqualTo(attempt);
                assertThat(delivery.get("status").asText()).isEqualTo("pending");
                assertThat(delivery.get("lastError").asText()).contains("no complete answer within 300 ms");
                long wait = delivery.get("nextAttemptAt").asLong() - clock.millis();
                assertThat(wait).isBetween(backoff[attempt - 1] / 2, backoff[attempt - 1]);
                clock.advance(Duration.ofMillis(wait));
            }
            assertThat(stalling.requests).hasSize(3);
        }
    }

    @Test
    void deliveriesOfAnUnknownIntegrationAreNotFound() {
        relay = TestRelay.start(dir, env(SECRET, Map.of()));

        assertThat(relay.http().get("/api/integrations/nobody/deliveries").status()).isEqualTo(404);
        assertThat(relay.http().get("/api/integrations/monitor/deliveries?limit=0").status()).isEqualTo(400);
    }

    /** What a receiver does: HMAC-SHA256 of the raw body under the shared secret, hex-encoded. */
    static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
