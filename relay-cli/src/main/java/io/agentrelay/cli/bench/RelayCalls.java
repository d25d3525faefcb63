package io.agentrelay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bench's set-up and check requests to a relay, over the JDK client (each bounded, see {@link Endpoint}). */
final class RelayCalls {
    private RelayCalls() {
    }

    /** Waits until {@code /api/health} answers 200, polling every 5 ms. */
    static void awaitHealthy(Endpoint url, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(url.request("/api/health").build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("relay at " + url + " not healthy within " + timeout);
    }

    /** Why the relay will not serve the bench (a missing or wrong token), or null when it will. */
    static String refusal(Endpoint relay) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(relay.request("/api/agents").build(),
                HttpResponse.BodyHandlers.ofString());
        return switch (response.statusCode()) {
            case 200 -> null;
            case 401, 403 -> "refused the bench (HTTP " + response.statusCode() + "): give its token in AGENT_RELAY_TOKEN"
                    + " or --token";
            default -> "answered GET /api/agents with HTTP " + response.statusCode() + ": " + response.body();
        };
    }

    static void register(Endpoint url, String id, List<String> capabilities) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", id);
        body.put("tags", List.of());
        body.put("capabilities", capabilities);
        HttpResponse<String> response = HttpClient.newHttpClient().send(url.request("/api/agents")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("register " + id + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** Deletes the agent; true when the relay answered 2xx. */
    static boolean deleteAgent(Endpoint url, String id) throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(url.request("/api/agents/" + id).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode() / 100 == 2;
    }

    static long lastEventId(Endpoint url) throws Exception {
        return json(url.request("/api/events?limit=1").build()).get("lastEventId").asLong();
    }

    /** How many {@code message.claimed} events each message has in the log after event {@code after}. */
    static Map<Long, Integer> claimedEventsSince(Endpoint url, long after) throws Exception {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        long cursor = after;
        while (true) {
            JsonNode events = json(url.request("/api/events?types=message.claimed&limit=1000&after=" + cursor).build())
                    .get("events");
            if (events.isEmpty()) {
                return counts;
            }
            for (JsonNode event : events) {
                counts.merge(event.get("data").get("id").asLong(), 1, Integer::sum);
                cursor = event.get("id").asLong();
            }
        }
    }

    static long storedMessages(Endpoint relay) throws Exception {
        return json(relay.request("/api/stats").build()).get("messages").asLong();
    }

    /** The relay's count of open streams, or -1 when it does not answer within two seconds. */
    static long openStreams(Endpoint relay) {
        try {
            return json(relay.request("/api/stats").timeout(Duration.ofSeconds(2)).build()).get("streams").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Sends {@code request} and parses the answer's body as JSON. */
    private static JsonNode json(HttpRequest request) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }
}
