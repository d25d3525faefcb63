package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed request is answered with a 4xx and a JSON error naming the problem (and the
 * field, when there is one), and none of them writes anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTest {
    private static final int MAX_BODY_BYTES = 2048;
    /** The one message the fixture sends; a fresh database numbers it 1. */
    private static final long KNOWN_MESSAGE = 1;

    TestRelay relay;
    Http http;

    /** One bad request and what the relay must answer; {@code field} null means the body has none. */
    record Case(String method, String path, Object body, int status, String error, String field) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body instanceof String s ? s : Http.json(body);
            shown = shown.length() > 60 ? shown.substring(0, 60) + "…(" + shown.length() + " chars)" : shown;
            return method + " " + path + " " + shown + " → " + status;
        }
    }

    @BeforeAll
    void start(@TempDir Path dir) {
        relay = TestRelay.start(dir, Map.of("MAX_BODY_BYTES", Integer.toString(MAX_BODY_BYTES)));
        http = relay.http();
        relay.register("alice");
        long id = relay.send("alice", "alice", "hello", Map.of("claimable", true)).json().get("id").asLong();
        assertThat(id).isEqualTo(KNOWN_MESSAGE);
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // The body itself.
        cases.add(new Case("POST", "/api/agents", "{\"id\":", 400, "not valid JSON", null));
        cases.add(new Case("POST", "/api/agents", "{'id': 'single quotes'}", 400, "not valid JSON", null));
        cases.add(new Case("POST", "/api/agents", "{\"id\":\"trailer\",\"name\":\"t\"} garbage", 400,
                "not valid JSON", null));
        cases.add(new Case("POST", "/api/agents", "{\"id\":\"first\",\"name\":\"f\"}{\"id\":\"second\"}", 400,
                "not valid JSON", null));
        cases.add(new Case("POST", "/api/agents", "[{\"id\":\"a\",\"name\":\"a\"}]", 400, "must be a JSON object", null));
        cases.add(new Case("POST", "/api/agents", "\"alice\"", 400, "must be a JSON object", null));
        cases.add(new Case("POST", "/api/messages", "42", 400, "must be a JSON object", null));
        // An empty body is an empty object, so the first required field is missing.
        cases.add(new Case("POST", "/api/agents", "", 400, "is required", "id"));

        // POST /api/agents: wrong types, missing fields, limits, ids that are targets.
        cases.add(agent(Map.of("id", 5), 400, "must be a string", "id"));
        cases.add(agent(Map.of("name", 5), 400, "must be a string", "name"));
        cases.add(agent(Map.of("kind", 3), 400, "must be a string", "kind"));
        cases.add(agent(Map.of("kind", "robot"), 400, "must be one of", "kind"));
        cases.add(agent(Map.of("status", "sleeping"), 400, "must be one of", "status"));
        cases.add(agent(Map.of("ready", "yes"), 400, "must be true or false", "ready"));
        cases.add(agent(Map.of("label", 7), 400, "must be a string", "label"));
        cases.add(agent(Map.of("label", "two\twords"), 400, "control characters", "label"));
        cases.add(agent(Map.of("tags", Map.of("a", 1)), 400, "must be an array of strings", "tags"));
        cases.add(agent(Map.of("tags", List.of(1, 2)), 400, "must be an array of strings", "tags"));
        cases.add(agent(Map.of("tags", List.of("ok", "not ok")), 400, "whitespace", "tags"));
        cases.add(agent(Map.of("capabilities", "x"), 400, "must be an array of strings", "capabilities"));
        cases.add(agent(Map.of("capabilities", Map.of()), 400, "must be an array of strings", "capabilities"));
        cases.add(agent(Map.of("machine", 1), 400, "must be a string", "machine"));
        cases.add(agent(Map.of("instanceId", true), 400, "must be a string", "instanceId"));
        cases.add(agent(Map.of("meta", List.of(1)), 400, "must be a JSON object", "meta"));
        cases.add(new Case("POST", "/api/agents", Map.of("name", "n"), 400, "is required", "id"));
        cases.add(new Case("POST", "/api/agents", Map.of("id", "n"), 400, "is required", "name"));
        cases.add(agent(Map.of("id", "a".repeat(201)), 400, "at most 200", "id"));
        cases.add(agent(Map.of("name", "n".repeat(201)), 400, "at most 200", "name"));
        cases.add(agent(Map.of("label", "l".repeat(121)), 400, "at most 120", "label"));
        cases.add(agent(Map.of("id", "tag:x"), 400, "must be an agent id", "id"));
        cases.add(agent(Map.of("id", "broadcast"), 400, "must be an agent id", "id"));
        cases.add(agent(Map.of("id", "has space"), 400, "whitespace", "id"));

        // POST /api/messages: wrong types, missing fields, limits, bad targets.
        cases.add(message(Map.of("from", 1), 400, "must be a string", "from"));
        cases.add(message(Map.of("to", 1), 400, "must be a string", "to"));
        cases.add(message(Map.of("body", 1), 400, "must be a string", "body"));
        cases.add(message(Map.of("subject", 1), 400, "must be a string", "subject"));
        cases.add(message(Map.of("kind", 1), 400, "must be a string", "kind"));
        cases.add(message(Map.of("kind", "shout"), 400, "must be one of", "kind"));
        cases.add(message(Map.of("replyTo", "1"), 400, "must be a whole number", "replyTo"));
        cases.add(new Case("POST", "/api/messages",
                "{\"from\":\"alice\",\"to\":\"alice\",\"body\":\"hi\",\"replyTo\":99999999999999999999}", 400,
                "must be a whole number", "replyTo"));
        cases.add(message(Map.of("replyTo", 1.5), 400, "must be a whole number", "replyTo"));
        cases.add(message(Map.of("claimable", "true"), 400, "must be true or false", "claimable"));
        cases.add(message(Map.of("idempotencyKey", 9), 400, "must be a string", "idempotencyKey"));
        cases.add(message(Map.of("meta", "m"), 400, "must be a JSON object", "meta"));
        cases.add(message(Map.of("payload", List.of()), 400, "must be a JSON object", "payload"));
        cases.add(message(Map.of("channel", 5), 400, "must be a string", "channel"));
        cases.add(message(Map.of("maxAgeSeconds", "60"), 400, "must be a whole number", "maxAgeSeconds"));
        cases.add(new Case("POST", "/api/messages", Map.of("to", "alice", "body", "b"), 400, "is required", "from"));
        cases.add(new Case("POST", "/api/messages", Map.of("from", "alice", "body", "b"), 400, "is required", "to"));
        cases.add(new Case("POST", "/api/messages", Map.of("from", "alice", "to", "alice"), 400, "is required", "body"));
        cases.add(message(Map.of("idempotencyKey", "k".repeat(241)), 400, "at most 240", "idempotencyKey"));
        cases.add(message(Map.of("idempotencyKey", ""), 400, "must not be empty", "idempotencyKey"));
        cases.add(message(Map.of("subject", "s".repeat(501)), 400, "at most 500", "subject"));
        cases.add(message(Map.of("channel", "c".repeat(121)), 400, "at most 120", "channel"));
        cases.add(message(Map.of("to", "t".repeat(201)), 400, "at most 200", "to"));
        cases.add(message(Map.of("maxAgeSeconds", -1), 400, "between 0 and 2592000", "maxAgeSeconds"));
        cases.add(message(Map.of("maxAgeSeconds", 2_592_001), 400, "between 0 and 2592000", "maxAgeSeconds"));
        cases.add(message(Map.of("maxAgeSeconds", 10_000_000_000L), 400, "out of range", "maxAgeSeconds"));
        cases.add(message(Map.of("replyTo", 0), 400, "positive", "replyTo"));
        cases.add(message(Map.of("replyTo", -4), 400, "positive", "replyTo"));
        cases.add(message(Map.of("replyTo", 999_999), 400, "does not exist", "replyTo"));
        cases.add(message(Map.of("to", "tag:"), 400, "needs a name", "to"));
        cases.add(message(Map.of("to", "bob smith"), 400, "whitespace", "to"));
        cases.add(message(Map.of("to", "bob\tsmith"), 400, "control characters", "to"));
        cases.add(message(Map.of("to", "label:two\nlines"), 400, "control characters", "to"));
        cases.add(message(Map.of("to", "pool:"), 400, "needs a name", "to"));
        cases.add(message(Map.of("to", "policy:"), 400, "needs a name", "to"));
        cases.add(message(Map.of("from", "tag:x"), 400, "must be an agent id", "from"));
        cases.add(message(Map.of("from", "broadcast"), 400, "must be an agent id", "from"));

        // Other writes with bad bodies.
        cases.add(new Case("PATCH", "/api/agents/alice", Map.of("tags", List.of(1)), 400, "array of strings", "tags"));
        cases.add(new Case("PATCH", "/api/agents/alice", Map.of("status", "asleep"), 400, "must be one of", "status"));
        cases.add(new Case("POST", "/api/agents/alice/heartbeat", Map.of("status", "dancing"), 400, "must be one of",
                "status"));
        cases.add(new Case("POST", "/api/agents/alice/heartbeat", Map.of("epoch", "one"), 400, "whole number", "epoch"));
        cases.add(new Case("POST", "/api/agents/alice/actions", Map.of("action", "dance"), 400, "must be one of",
                "action"));
        cases.add(new Case("POST", "/api/agents/alice/actions", Map.of(), 400, "is required", "action"));
        cases.add(new Case("POST", "/api/messages/1/claim", Map.of(), 400, "is required", "agentId"));
        cases.add(new Case("POST", "/api/messages/1/claim", Map.of("agentId", 7), 400, "must be a string", "agentId"));
        cases.add(new Case("POST", "/api/messages/1/claim", Map.of("agentId", "cap:x"), 400, "must be an agent id",
                "agentId"));
        cases.add(new Case("POST", "/api/messages/1/release", Map.of(), 400, "is required", "agentId"));
        cases.add(new Case("POST", "/api/messages/read", Map.of("agentId", "alice", "ids", "1"), 400,
                "array of whole numbers", "ids"));
        cases.add(new Case("POST", "/api/messages/read", Map.of("agentId", "alice", "ids", List.of("a")), 400,
                "array of whole numbers", "ids"));
        cases.add(new Case("POST", "/api/messages/read", Map.of("agentId", "alice", "ids", List.of(1), "upTo", 1), 400,
                "exactly one", "ids"));
        cases.add(new Case("POST", "/api/messages/read", Map.of("agentId", "alice"), 400, "exactly one", "ids"));
        cases.add(new Case("POST", "/api/system/broadcast", Map.of("subject", "s"), 400, "is required", "body"));

        // Path ids.
        cases.add(new Case("GET", "/api/messages/abc", null, 404, "no route for GET /api/messages/abc", null));
        cases.add(new Case("GET", "/api/messages/queued", null, 400, "is required", "for"));
        cases.add(new Case("GET", "/api/messages/queued?for=policy:x&limit=0", null, 400, "between 1 and 500", "limit"));
        cases.add(new Case("GET", "/api/messages/0", null, 400, "invalid message id", null));
        cases.add(new Case("GET", "/api/messages/-3", null, 400, "invalid message id", null));
        cases.add(new Case("GET", "/api/messages/99999999999999999999", null, 400, "invalid message id", null));
        cases.add(new Case("GET", "/api/messages/1.5/thread", null, 400, "invalid message id", null));
        cases.add(new Case("POST", "/api/messages/abc/claim", Map.of("agentId", "alice"), 404,
                "no route for POST /api/messages/abc/claim", null));
        cases.add(new Case("DELETE", "/api/messages/abc", null, 404, "no route", null));
        cases.add(new Case("GET", "/api/messages/1x", null, 400, "invalid message id", null));

        // Query parameters.
        cases.add(new Case("GET", "/api/messages?limit=0", null, 400, "between 1 and 500", "limit"));
        cases.add(new Case("GET", "/api/messages?limit=501", null, 400, "between 1 and 500", "limit"));
        cases.add(new Case("GET", "/api/messages?since=-1", null, 400, "between 0 and", "since"));
        cases.add(new Case("GET", "/api/messages?since=x", null, 400, "whole number", "since"));
        cases.add(new Case("GET", "/api/messages?for=alice&unread=maybe", null, 400, "true or false", "unread"));
        cases.add(new Case("GET", "/api/messages?kind=shout", null, 400, "must be one of", "kind"));
        cases.add(new Case("GET", "/api/messages?for=tag:x", null, 400, "must be an agent id", "for"));
        cases.add(new Case("GET", "/api/messages/cursor", null, 400, "is required", "for"));
        cases.add(new Case("GET", "/api/agents?status=zombie", null, 400, "must be one of", "status"));
        cases.add(new Case("GET", "/api/events?types=nope", null, 400, "must be one of", "types"));
        cases.add(new Case("GET", "/api/events?types=message.new,nope", null, 400, "nope", "types"));
        cases.add(new Case("GET", "/api/events?limit=0", null, 400, "between 1 and", "limit"));
        cases.add(new Case("GET", "/api/events?after=x", null, 400, "whole number", "after"));
        cases.add(new Case("GET", "/api/events?agentId=broadcast", null, 400, "must be an agent id", "agentId"));
        cases.add(new Case("GET", "/api/events/stream?after=x", null, 400, "whole number", "after"));

        // Unknown ids.
        cases.add(new Case("GET", "/api/messages/999999", null, 404, "message 999999 not found", null));
        cases.add(new Case("GET", "/api/messages/999999/thread", null, 404, "not found", null));
        cases.add(new Case("GET", "/api/messages/999999/status", null, 404, "not found", null));
        cases.add(new Case("DELETE", "/api/messages/999999", null, 404, "not found", null));
        cases.add(new Case("POST", "/api/messages/999999/claim", Map.of("agentId", "alice"), 404, "not found", null));
        cases.add(new Case("POST", "/api/messages/999999/read", Map.of("agentId", "alice"), 404, "not found", null));
        cases.add(new Case("POST", "/api/messages/1/claim", Map.of("agentId", "nobody"), 404, "agent nobody not found",
                null));
        cases.add(new Case("GET", "/api/agents/nobody", null, 404, "agent nobody not found", null));
        cases.add(new Case("PATCH", "/api/agents/nobody", Map.of("ready", true), 404, "not found", null));
        cases.add(new Case("POST", "/api/agents/nobody/heartbeat", Map.of(), 404, "not found", null));
        cases.add(new Case("POST", "/api/agents/nobody/actions", Map.of("action", "restart"), 404, "not found", null));
        cases.add(new Case("DELETE", "/api/agents/nobody", null, 404, "not found", null));

        // Oversize bodies and unknown routes.
        cases.add(message(Map.of("body", "b".repeat(MAX_BODY_BYTES)), 413, "MAX_BODY_BYTES", null));
        cases.add(agent(Map.of("meta", Map.of("blob", "x".repeat(3 * MAX_BODY_BYTES))), 413, "MAX_BODY_BYTES", null));
        cases.add(new Case("GET", "/api/nothing-here", null, 404, "no route", null));
        cases.add(new Case("GET", "/nothing-here", null, 404, "no route", null));
        cases.add(new Case("POST", "/api/agents/alice/unknown", Map.of(), 404, "no route", null));
        cases.add(new Case("DELETE", "/api/health", null, 405, "not allowed", null));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedRequestIsAnsweredWithAJsonErrorNamingTheProblem(Case bad) {
        Http.Response response = http.send(bad.method(), bad.path(), bad.body());

        assertThat(response.status()).as(response.text()).isEqualTo(bad.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.json()).as("JSON body: %s", response.text()).isNotNull();
        assertThat(response.json().path("error").isTextual()).as("error is a string: %s", response.text()).isTrue();
        assertThat(response.error()).contains(bad.error());
        if (bad.field() == null) {
            assertThat(response.json().has("field")).as("no field expected: %s", response.text()).isFalse();
        } else {
            assertThat(response.json().path("field").asText()).isEqualTo(bad.field());
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedAsNotJson() throws Exception {
        long lastEventId = http.get("/api/events").json().get("lastEventId").asLong();
        // "body":"caf\xC3(" : 0xC3 opens a two-byte sequence that '(' does not continue.
        byte[] body = "{\"from\":\"alice\",\"to\":\"alice\",\"body\":\"caf\u00ff(\"}".getBytes(StandardCharsets.ISO_8859_1);
        body[body.length - 4] = (byte) 0xC3;
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(relay.url() + "/api/messages")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(response.body()).get("error").asText()).contains("not valid JSON");
        assertThat(http.get("/api/events").json().get("lastEventId").asLong()).isEqualTo(lastEventId);
    }

    @Test
    void noMalformedRequestLeavesAnythingHalfWritten() {
        List<String> agents = ids(http.get("/api/agents").json().get("agents"), "id");
        List<String> messages = ids(http.get("/api/messages").json().get("messages"), "id");
        long lastEventId = http.get("/api/events").json().get("lastEventId").asLong();

        cases().forEach(bad -> assertThat(http.send(bad.method(), bad.path(), bad.body()).status())
                .as("%s", bad).isBetween(400, 499));

        assertThat(ids(http.get("/api/agents").json().get("agents"), "id")).isEqualTo(agents);
        assertThat(ids(http.get("/api/messages").json().get("messages"), "id")).isEqualTo(messages);
        JsonNode events = http.get("/api/events").json();
        assertThat(events.get("lastEventId").asLong()).isEqualTo(lastEventId);
        assertThat(ids(events.get("events"), "type")).containsExactly("agent.registered", "message.new");
        assertThat(http.get("/api/messages/" + KNOWN_MESSAGE).json().get("claimedBy").isNull()).isTrue();
    }

    /** A registration that is valid except for {@code override}. */
    private static Case agent(Map<String, Object> override, int status, String error, String field) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", "newcomer", "name", "Newcomer"));
        body.putAll(override);
        return new Case("POST", "/api/agents", body, status, error, field);
    }

    /** A send that is valid except for {@code override}. */
    private static Case message(Map<String, Object> override, int status, String error, String field) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("from", "alice", "to", "alice", "body", "hi"));
        body.putAll(override);
        return new Case("POST", "/api/messages", body, status, error, field);
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }
}
