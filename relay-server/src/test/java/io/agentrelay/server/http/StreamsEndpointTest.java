package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/streams}: the open SSE and WebSocket streams, and the recent slow-consumer cuts. */
class StreamsEndpointTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private JsonNode streams() {
        Http.Response answer = relay.http().get("/api/streams");
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void listsEachOpenStreamWithItsTransportFilterAndPositionUntilItCloses() throws Exception {
        relay = TestRelay.start(dir);
        relay.register("alice");
        assertThat(streams().get("streams")).isEmpty();
        assertThat(streams().get("cuts")).isEmpty();

        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=message.new", Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, Map.of("channels", List.of("ops")));
            relay.send("bob", "alice", "hello");
            sse.events(1, Duration.ofSeconds(10));

            JsonNode open = streams().get("streams");
            assertThat(open).hasSize(2);
            JsonNode first = open.get(0);
            assertThat(first.get("transport").asText()).isEqualTo("sse");
            assertThat(first.get("remote").asText()).startsWith("127.0.0.1:");
            assertThat(first.get("filter").get("agentId").asText()).isEqualTo("alice");
            assertThat(first.get("filter").get("types").toString()).isEqualTo("[\"message.new\"]");
            assertThat(first.get("openedAt").asLong()).isEqualTo(relay.clock().millis());
            assertThat(first.get("lastEventId").asLong()).isEqualTo(relay.events("message.new").get(0).get("id").asLong());
            JsonNode second = open.get(1);
            assertThat(second.get("transport").asText()).isEqualTo("websocket");
            assertThat(second.get("filter").get("channels").toString()).isEqualTo("[\"ops\"]");
            assertThat(second.get("id").asLong()).isGreaterThan(first.get("id").asLong());
        }
        // Closed by the clients: gone, and not counted as cuts.
        JsonNode after = waitFor(() -> streams(), s -> s.get("streams").isEmpty());
        assertThat(after.get("cuts")).isEmpty();
        assertThat(relay.http().get("/api/stats").json().get("now").asLong()).isEqualTo(relay.clock().millis());
    }

    @Test
    void aStreamCutAsASlowConsumerIsListedAmongTheRecentCuts() throws Exception {
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_STREAM_QUEUE_BYTES", "16384"));
        relay.register("alice");
        String body = "y".repeat(32 * 1024);
        try (WsClient slow = WsClient.connect(relay.url(), null, Map.of(), false)) {
            slow.hello(null, null);
            CompletableFuture<?>[] sends = new CompletableFuture<?>[200];
            for (int i = 0; i < sends.length; i++) {
                sends[i] = CompletableFuture.runAsync(() -> relay.send("bob", "alice", body));
            }
            CompletableFuture.allOf(sends).get(60, TimeUnit.SECONDS);
            slow.resume();
            assertThat(slow.closed().get(30, TimeUnit.SECONDS).code()).isEqualTo(1008);
        }
        JsonNode answer = waitFor(() -> streams(), s -> s.get("streams").isEmpty());
        assertThat(answer.get("cuts")).hasSize(1);
        JsonNode cut = answer.get("cuts").get(0);
        assertThat(cut.get("transport").asText()).isEqualTo("websocket");
        assertThat(cut.get("reason").asText()).isEqualTo("backpressure");
        assertThat(cut.get("cutAt").asLong()).isEqualTo(relay.clock().millis());
    }

    /** Streams close asynchronously on the relay's event loop: ask again until the condition holds. */
    private static JsonNode waitFor(java.util.function.Supplier<JsonNode> ask, java.util.function.Predicate<JsonNode> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode last = ask.get();
        while (!until.test(last) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            last = ask.get();
        }
        return last;
    }
}
