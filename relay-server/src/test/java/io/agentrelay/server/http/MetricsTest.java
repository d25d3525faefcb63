package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics}: Prometheus text with each API route's requests by status under the route's
 * template, the store's writer, the event log's head and the open streams; OpenMetrics on request;
 * behind the token when one is configured.
 */
class MetricsTest {
    static final String TOKEN = "metrics-token-0123456789";

    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private String metrics(Http http) {
        Http.Response response = http.get("/metrics");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    /** The value of the one sample whose name and labels start with {@code series}; fails if none. */
    private static double sample(String text, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:[,}].*)? (\\S+)$").matcher(text);
        assertThat(line.find()).as("a sample %s in:\n%s", series, text).isTrue();
        return Double.parseDouble(line.group(1));
    }

    @Test
    void eachRouteIsCountedByStatusUnderItsTemplateNeverItsPath() {
        relay = TestRelay.start(dir);
        relay.register("alice");
        relay.send("alice", "alice", "one");
        relay.send("alice", "alice", "two");
        assertThat(relay.http().get("/api/agents/nobody-by-this-name").status()).isEqualTo(404);
        assertThat(relay.http().post("/api/messages", Map.of("from", "alice")).status()).isEqualTo(400);

        Http.Response response = relay.http().get("/metrics");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = response.text();
        String sends = "http_server_requests_seconds_count{method=\"POST\",outcome=\"SUCCESS\",status=\"201\",uri=\"/api/messages\"";
        assertThat(sample(text, sends)).isEqualTo(2);
        assertThat(sample(text, "http_server_requests_seconds_count{method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"400\","
                + "uri=\"/api/messages\"")).isEqualTo(1);
        assertThat(sample(text, "http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\","
                + "uri=\"/api/agents/:id\"")).isEqualTo(1);
        assertThat(sample(text, "http_server_requests_seconds_sum{method=\"POST\",outcome=\"SUCCESS\",status=\"201\","
                + "uri=\"/api/messages\"")).isPositive();
        assertThat(text).doesNotContain("nobody-by-this-name");
        // The JVM's own, from Micrometer's binders.
        assertThat(sample(text, "jvm_threads_live_threads")).isPositive();
        assertThat(sample(text, "process_uptime_seconds")).isPositive();
    }

    @Test
    void theWriterTheLogHeadAndTheStoreAreReported() {
        relay = TestRelay.start(dir);
        String before = metrics(relay.http());
        relay.register("alice");
        relay.send("alice", "alice", "one");
        String after = metrics(relay.http());

        assertThat(sample(after, "relay_store_transactions_total") - sample(before, "relay_store_transactions_total"))
                .isGreaterThanOrEqualTo(1);
        // The registration and the send, and whatever the relay's own background work wrote
        // meanwhile (the callback dispatcher leases due deliveries each second).
        assertThat(sample(after, "relay_store_writes_total") - sample(before, "relay_store_writes_total"))
                .isGreaterThanOrEqualTo(2);
        assertThat(sample(after, "relay_store_failed_transactions_total")).isZero();
        assertThat(sample(after, "relay_store_transaction_seconds_total")).isPositive();
        assertThat(sample(after, "relay_store_writable")).isEqualTo(1);
        long lastEventId = relay.http().get("/api/events?limit=1").json().get("lastEventId").asLong();
        assertThat(sample(after, "relay_events_head")).isEqualTo((double) lastEventId);
        String kind = TestStore.postgresql() ? "postgresql" : "sqlite";
        assertThat(sample(after, "relay_info{instance=\"" + relay.http().get("/api/health").json().get("instanceId").asText()
                + "\",store=\"" + kind + "\"")).isEqualTo(1);
    }

    @Test
    void openStreamsAreCountedUntilTheyClose() throws Exception {
        relay = TestRelay.start(dir);
        relay.register("alice");
        assertThat(sample(metrics(relay.http()), "relay_streams_open")).isZero();
        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=message.new", Map.of())) {
            relay.send("alice", "alice", "ping");
            sse.events(1, Duration.ofSeconds(10));
            assertThat(sample(metrics(relay.http()), "relay_streams_open")).isEqualTo(1);
        }
        // The relay notices the closed connection on its event loop: ask until it has.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double open = 1;
        while (open != 0 && System.nanoTime() < deadline) {
            open = sample(metrics(relay.http()), "relay_streams_open");
            Thread.onSpinWait();
        }
        assertThat(open).isZero();
    }

    @Test
    void openMetricsIsServedToAScraperThatAsksForIt() {
        relay = TestRelay.start(dir);
        Http.Response response = relay.http().with("Accept", "application/openmetrics-text; version=1.0.0").get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(response.text()).endsWith("# EOF\n");
    }

    @Test
    void withATokenMetricsNeedItLikeTheApi() {
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_TOKEN", TOKEN));
        Http.Response refused = relay.http().get("/metrics");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).contains("missing token");
        assertThat(relay.http().with("Authorization", "Bearer wrong").get("/metrics").status()).isEqualTo(401);
        assertThat(metrics(relay.http().with("Authorization", "Bearer " + TOKEN))).contains("relay_streams_open");
        assertThat(relay.http().with("Authorization", "Bearer " + TOKEN).send("HEAD", "/metrics", null).status()).isEqualTo(200);
    }
}
