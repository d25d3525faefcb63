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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events carry the TypeScript server's {@code source} (who caused it) and {@code subject} (what it is
 * about) on every surface, and event-type filters accept the TypeScript server's event types.
 */
class EventEnvelopeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("alice");
        relay.register("bob");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void eachEventNamesWhoCausedItAndWhatItIsAbout() {
        long id = relay.send("bob", "alice", "take this", Map.of("claimable", true)).json().get("id").asLong();
        assertThat(relay.http().post("/api/messages/" + id + "/claim", Map.of("agentId", "alice")).status())
                .isEqualTo(200);
        assertThat(relay.http().post("/api/messages/" + id + "/release", Map.of("agentId", "alice")).status())
                .isEqualTo(200);
        assertThat(relay.http().delete("/api/messages/" + id).status()).isEqualTo(200);

        assertEnvelope(relay.events("agent.registered").get(0), "server", "alice");
        assertEnvelope(relay.events("message.new").get(0), "bob", Long.toString(id));
        assertEnvelope(relay.events("message.claimed").get(0), "alice", Long.toString(id));
        assertEnvelope(relay.events("message.claim_released").get(0), "alice", Long.toString(id));
        assertEnvelope(relay.events("message.deleted").get(0), "server", Long.toString(id));
    }

    @Test
    void liveStreamsCarryTheEnvelopeToo() throws Exception {
        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=message.new", Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, Map.of("types", List.of("message.new")));
            long id = relay.send("bob", "alice", "hello").json().get("id").asLong();

            assertEnvelope(sse.nextEvent(WAIT).data(), "bob", Long.toString(id));
            assertEnvelope(ws.next(WAIT), "bob", Long.toString(id));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"message.queued", "message.available", "message.expired", "channel.activity",
            "config.changed", "policy.state.changed", "orchestrator.status", "command.created", "command.updated", "pair.created", "pair.updated"})
    void theTypeScriptServersEventTypesAreAcceptedAsFilters(String type) throws Exception {
        relay.send("bob", "alice", "not of that type");

        Http.Response page = relay.http().get("/api/events?types=" + type);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().get("events")).isEmpty();

        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?types=" + type, Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(ws.hello(0L, Map.of("types", List.of(type))).get("type").asText()).isEqualTo("hello_ok");
        }
    }

    @Test
    void anUnknownEventTypeIsStillRefusedByName() {
        Http.Response response = relay.http().get("/api/events?types=message.sent");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).contains("types").contains("message.sent");
    }

    private static void assertEnvelope(JsonNode event, String source, String subject) {
        assertThat(event.get("source").asText()).as("source of %s", event).isEqualTo(source);
        assertThat(event.get("subject").asText()).as("subject of %s", event).isEqualTo(subject);
    }
}
