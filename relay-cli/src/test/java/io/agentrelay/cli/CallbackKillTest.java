package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.agentrelay.api.Json;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task callback survives {@code kill -9}: the relay is killed while its first attempt is in
 * flight (the receiver holds the request unanswered), and the relay restarted on the same file
 * sends the same delivery again. At least once, with a delivery id the receiver can de-duplicate by.
 */
@Tag("process")
class CallbackKillTest {
    private static final String TOKEN = "ci-token-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Arrival(String deliveryId, String attempt, JsonNode body) {
    }

    @Test
    void aCallbackInFlightWhenTheRelayIsKilledIsDeliveredAfterTheRestart() throws Exception {
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger seen = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService receiverThreads = Executors.newCachedThreadPool();
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            arrivals.add(new Arrival(exchange.getRequestHeaders().getFirst("X-Agent-Relay-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Agent-Relay-Attempt"), Json.mapper().readTree(body)));
            if (seen.incrementAndGet() == 1) {
                try {
                    // Hold the first attempt unanswered until the relay has been killed.
                    releaseFirst.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String integrations = Json.mapper().writeValueAsString(List.of(Map.of("name", "ci", "token", TOKEN,
                "scopes", List.of("tasks:create"), "targets", List.of("tag:ops"),
                "callbackUrl", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")));
        Map<String, String> env = Map.of("AGENT_RELAY_DB", dir.resolve("relay.db").toString(), "PORT", "0",
                "AGENT_RELAY_INTEGRATIONS", integrations, "AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "true");
        try {
            Arrival first;
            try (RelayProcess relay = RelayProcess.start(env, "serve")) {
                String url = relay.awaitUrl();
                HttpResponse<String> raised = post(url + "/api/integrations/events",
                        Map.of("target", "tag:ops", "title", "nightly build failed", "dedupeKey", "nightly"));
                assertThat(raised.statusCode()).as(raised.body()).isEqualTo(201);
                first = arrivals.poll(60, TimeUnit.SECONDS);
                assertThat(first).as("the first attempt reached the receiver").isNotNull();
                relay.killHard();
            } finally {
                releaseFirst.countDown();
            }

            try (RelayProcess restarted = RelayProcess.start(env, "serve")) {
                String url = restarted.awaitUrl();
                Arrival again = arrivals.poll(60, TimeUnit.SECONDS);
                assertThat(again).as("the delivery was sent again after the restart").isNotNull();
                assertThat(again.deliveryId()).isEqualTo(first.deliveryId());
                assertThat(again.attempt()).as("the killed attempt was never recorded").isEqualTo("1");
                assertThat(again.body().get("task")).isEqualTo(first.body().get("task"));
                JsonNode delivery = awaitDelivered(url);
                assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
                assertThat(delivery.get("id").asText()).isEqualTo(first.deliveryId());
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    /** The answer is recorded just after the receiver saw the request; poll the outbox until it is. */
    private JsonNode awaitDelivered(String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(url + "/api/integrations/ci/deliveries")).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode delivery = Json.mapper().readTree(response.body()).get("deliveries").get(0);
            if (delivery.get("status").asText().equals("delivered") || System.nanoTime() > deadline) {
                assertThat(delivery.get("status").asText()).isEqualTo("delivered");
                return delivery;
            }
            Thread.onSpinWait();
        }
    }

    private HttpResponse<String> post(String url, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
