package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a 2xx for a write survives {@code kill -9} of the relay process.
 * Writers keep sending while the process is killed mid-stream; every message that was answered
 * 201 before the kill must be there after a restart on the same file.
 */
@Tag("process")
class DurabilityTest {
    private static final int WRITERS = 8;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 400;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyAcknowledgedMessageSurvivesKillNine() throws Exception {
        Map<String, String> env = Map.of("AGENT_RELAY_DB", dir.resolve("relay.db").toString(), "PORT", "0",
                "XDG_CACHE_HOME", dir.resolve("cache").toString());
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        try (RelayProcess relay = RelayProcess.start(List.of("-Djava.io.tmpdir=" + tmp), env, "serve")) {
            String url = relay.awaitUrl();
            CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
            AtomicBoolean killed = new AtomicBoolean();
            Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers[w] = Thread.ofPlatform().start(() -> {
                    for (int n = 0; !killed.get(); n++) {
                        String body = "writer " + writer + " message " + n;
                        try {
                            HttpResponse<String> response = post(url + "/api/messages",
                                    Map.of("from", "writer-" + writer, "to", "sink", "body", body));
                            if (response.statusCode() == 201) {
                                acknowledged.put(Json.mapper().readTree(response.body()).get("id").asLong(), body);
                                enough.countDown();
                            }
                        } catch (Exception connectionCutByTheKill) {
                            return;
                        }
                    }
                });
            }
            enough.await();
            // Kill while the writers are still sending: some requests are in flight, unanswered.
            relay.killHard();
            killed.set(true);
            for (Thread writer : writers) {
                writer.join();
            }
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
        // SQLite's native library came from the per-user cache, and Vert.x kept no file cache:
        // the kill left nothing in the temp folder.
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.contains("sqlitejdbc"))
                    .noneMatch(name -> name.startsWith("vertx-cache"));
        }
        try (Stream<Path> cached = Files.walk(dir.resolve("cache"))) {
            assertThat(cached.map(p -> p.getFileName().toString())).contains("libsqlitejdbc.so");
        }

        try (RelayProcess restarted = RelayProcess.start(env, "serve")) {
            String url = restarted.awaitUrl();
            Map<Long, String> stored = inbox(url, "sink");
            for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                assertThat(stored).as("acknowledged message %d", ack.getKey()).containsEntry(ack.getKey(), ack.getValue());
            }
            // Nothing invented: whatever is stored beyond the acknowledged set was a request in flight.
            Set<Long> extra = new java.util.HashSet<>(stored.keySet());
            extra.removeAll(acknowledged.keySet());
            assertThat(extra).hasSizeLessThanOrEqualTo(WRITERS);
        }
    }

    private Map<Long, String> inbox(String url, String agent) throws Exception {
        Map<Long, String> messages = new HashMap<>();
        long since = 0;
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(url + "/api/messages?for=" + agent + "&limit=500&since=" + since)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = Json.mapper().readTree(response.body()).get("messages");
            if (page.isEmpty()) {
                return messages;
            }
            for (JsonNode message : page) {
                messages.put(message.get("id").asLong(), message.get("body").asText());
                since = message.get("id").asLong();
            }
        }
    }

    private HttpResponse<String> post(String url, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
