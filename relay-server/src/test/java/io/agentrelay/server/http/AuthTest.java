package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthTest {
    private static final String TOKEN = "t0ps3cret";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/agents", "/api/messages", "/api/events", "/api/events/stream", "/api/stats"})
    void withATokenConfiguredRequestsWithoutItAreUnauthorized(String path) {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));
        Http http = relay.http();

        assertUnauthorized(http.get(path), "missing token");
        assertUnauthorized(http.with("Authorization", "Bearer wrong").get(path), "invalid token");
        assertUnauthorized(http.with("X-Agent-Relay-Token", "wrong").get(path), "invalid token");
        assertUnauthorized(http.with("Authorization", "Bearer " + TOKEN + "x").get(path), "invalid token");
        assertUnauthorized(http.with("Authorization", "Basic " + TOKEN).get(path), "missing token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/agents", "/api/messages", "/api/events", "/api/stats"})
    void theTokenIsAcceptedAsABearerTokenOrInTheRelayHeader(String path) {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));

        assertThat(relay.http().with("Authorization", "Bearer " + TOKEN).get(path).status()).isEqualTo(200);
        assertThat(relay.http().with("X-Agent-Relay-Token", TOKEN).get(path).status()).isEqualTo(200);
    }

    @Test
    void anUnauthorizedWriteChangesNothing() {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));
        Http authorized = relay.http().with("Authorization", "Bearer " + TOKEN);

        assertUnauthorized(relay.http().post("/api/agents", Map.of("id", "intruder", "name", "i")), "missing token");
        assertUnauthorized(relay.http().post("/api/messages", Map.of("from", "intruder", "to", "broadcast",
                "body", "hi")), "missing token");

        assertThat(authorized.get("/api/agents/intruder").status()).isEqualTo(404);
        assertThat(authorized.get("/api/messages").json().get("messages")).isEmpty();
        assertThat(authorized.post("/api/agents", Map.of("id", "member", "name", "m")).status()).isEqualTo(201);
    }

    @Test
    void healthStaysOpenWithoutAToken() {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));

        Http.Response health = relay.http().get("/api/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void theEventStreamAcceptsTheTokenAsAQueryParameterOrAHeader() throws Exception {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));
        Http authorized = relay.http().with("Authorization", "Bearer " + TOKEN);

        try (SseClient byQuery = SseClient.open(relay.url(), "/api/events/stream?token=" + TOKEN, Map.of());
             SseClient byHeader = SseClient.open(relay.url(), "/api/events/stream",
                     Map.of("Authorization", "Bearer " + TOKEN))) {
            assertThat(byQuery.status()).isEqualTo(200);
            assertThat(byHeader.status()).isEqualTo(200);

            assertThat(authorized.post("/api/agents", Map.of("id", "alice", "name", "Alice")).status()).isEqualTo(201);

            assertThat(byQuery.nextEvent(WAIT)).isNotNull().satisfies(f -> assertThat(f.event()).isEqualTo("agent.registered"));
            assertThat(byHeader.nextEvent(WAIT)).isNotNull().satisfies(f -> assertThat(f.event()).isEqualTo("agent.registered"));
        }
        assertUnauthorized(relay.http().get("/api/events/stream?token=wrong"), "invalid token");
    }

    @Test
    void theQueryTokenIsAcceptedOnlyOnTheEventStream() {
        startWith(Map.of("AGENT_RELAY_TOKEN", TOKEN));

        assertUnauthorized(relay.http().get("/api/agents?token=" + TOKEN), "missing token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/agents", "/api/messages", "/api/events", "/api/stats", "/api/health"})
    void withoutAConfiguredTokenEverythingIsOpen(String path) {
        startWith(Map.of());

        assertThat(relay.http().get(path).status()).isEqualTo(200);
        assertThat(relay.http().with("Authorization", "Bearer whatever").get(path).status()).isEqualTo(200);
    }

    @Test
    void withoutAConfiguredTokenTheStreamIsOpen() throws Exception {
        startWith(Map.of());

        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            relay.register("alice");
            assertThat(stream.nextEvent(WAIT)).isNotNull().satisfies(f -> assertThat(f.event()).isEqualTo("agent.registered"));
        }
    }

    private void startWith(Map<String, String> env) {
        relay = TestRelay.start(dir, env);
    }

    private static void assertUnauthorized(Http.Response response, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.error()).contains(error);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }
}
