package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's open streams follow its card: once its tags or label change, messages to the old
 * ones stop arriving and messages to the new ones start, on SSE and on WebSocket alike, without
 * reconnecting.
 */
class TargetChangesWhileStreamingTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("alice", Map.of("tags", List.of("review"), "label", "lead"));
        relay.register("bob");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void afterATagAndLabelChangeOpenStreamsCarryMessagesToTheNewOnesAndNotTheOld() throws Exception {
        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=message.new", Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, Map.of("agents", List.of("alice"), "types", List.of("message.new")));
            assertThat(sse.status()).isEqualTo(200);

            relay.send("bob", "tag:review", "before: tag");
            relay.send("bob", "label:lead", "before: label");
            relay.send("bob", "tag:ops", "before: new tag");
            assertThat(relay.http().patch("/api/agents/alice", Map.of("tags", List.of("ops"), "label", "backend fixer"))
                    .status()).isEqualTo(200);
            relay.send("bob", "tag:review", "after: old tag");
            relay.send("bob", "label:lead", "after: old label");
            relay.send("bob", "tag:ops", "after: new tag");
            relay.send("bob", "label:backend fixer", "after: new label");
            relay.send("bob", "alice", "sentinel");

            List<String> expected = List.of("before: tag", "before: label", "after: new tag", "after: new label",
                    "sentinel");
            assertThat(sse.events(expected.size(), WAIT)).extracting(f -> f.data().get("data").get("body").asText())
                    .containsExactlyElementsOf(expected);
            assertThat(bodies(ws, expected.size())).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aReRegistrationThatDropsATagStopsItsMessagesOnTheOpenStreams() throws Exception {
        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=message.new", Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, Map.of("agents", List.of("alice"), "types", List.of("message.new")));
            assertThat(sse.status()).isEqualTo(200);

            relay.register("alice", Map.of("tags", List.of("java")));
            relay.send("bob", "tag:review", "old tag");
            relay.send("bob", "label:lead", "label kept");
            relay.send("bob", "tag:java", "new tag");
            relay.send("bob", "alice", "sentinel");

            // A registration that leaves the label out keeps it (see RegisterAgent).
            List<String> expected = List.of("label kept", "new tag", "sentinel");
            assertThat(sse.events(expected.size(), WAIT)).extracting(f -> f.data().get("data").get("body").asText())
                    .containsExactlyElementsOf(expected);
            assertThat(bodies(ws, expected.size())).containsExactlyElementsOf(expected);
        }
    }

    private static List<String> bodies(WsClient ws, int count) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (JsonNode frame : ws.events(count, WAIT)) {
            bodies.add(frame.get("data").get("body").asText());
        }
        return bodies;
    }
}
