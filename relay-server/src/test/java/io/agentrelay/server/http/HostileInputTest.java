package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input that used to be accepted and then broke something later: a read, a key's identity, a
 * guard. Each is refused with a 400 (or 415) naming the field before anything is written, and what
 * is accepted always reads back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    private static final String TOKEN = "monitor-token";
    private static final int DEPTH = 32;

    TestRelay relay;
    Http http;

    @BeforeAll
    void start(@TempDir Path dir) {
        relay = TestRelay.start(dir, Integrations.of().add("monitor", TOKEN, List.of("bob"), List.of()).env());
        http = relay.http();
        relay.register("alice");
        relay.register("bob");
    }

    @AfterAll
    void stop() {
        relay.close();
    }

    /** {@code levels} objects nested in each other: 1 is {@code {}}. */
    private static String nested(int levels) {
        return "{\"d\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private long lastEventId() {
        return http.get("/api/events").json().get("lastEventId").asLong();
    }

    private Http.Response raw(String method, String path, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = http.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isBlank() ? null : io.agentrelay.api.Json.mapper().readTree(response.body());
        return new Http.Response(response.statusCode(), json, response.body(), response.headers());
    }

    private Http.Response post(String path, String json) throws Exception {
        return raw("POST", path, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsRefusedNamingTheField() throws Exception {
        long before = lastEventId();

        Http.Response agent = post("/api/agents", "{\"id\":\"deep\",\"name\":\"d\",\"meta\":" + nested(DEPTH + 1) + "}");
        Http.Response message = post("/api/messages",
                "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\",\"payload\":" + nested(DEPTH + 1) + "}");
        Http.Response task = raw("POST", "/api/integrations/events", ("{\"target\":\"bob\",\"title\":\"t\","
                + "\"metadata\":{\"list\":[" + nested(DEPTH) + "]}}").getBytes(StandardCharsets.UTF_8), null);
        Http.Response veryDeep = post("/api/agents", "{\"id\":\"deep\",\"name\":\"d\",\"meta\":" + nested(998) + "}");

        assertThat(agent.status()).as(agent.text()).isEqualTo(400);
        assertThat(agent.json().get("field").asText()).isEqualTo("meta");
        assertThat(agent.error()).contains("deeper than 32");
        assertThat(message.json().get("field").asText()).isEqualTo("payload");
        assertThat(task.status()).as(task.text()).isIn(400, 401);
        assertThat(veryDeep.status()).isEqualTo(400);
        assertThat(lastEventId()).isEqualTo(before);
    }

    @Test
    void theDeepestAllowedValueReadsBackThroughEveryRoute() throws Exception {
        String deep = nested(DEPTH);
        assertThat(post("/api/agents", "{\"id\":\"deepest\",\"name\":\"d\",\"meta\":" + deep + "}").status()).isEqualTo(201);
        Http.Response sent = post("/api/messages", "{\"from\":\"deepest\",\"to\":\"bob\",\"body\":\"b\",\"meta\":" + deep
                + ",\"payload\":" + deep + "}");
        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        long message = sent.json().get("id").asLong();
        Http.Response raised = http.with("Authorization", "Bearer " + TOKEN).send("POST", "/api/integrations/events",
                "{\"target\":\"bob\",\"title\":\"deep\",\"metadata\":" + deep + "}");
        assertThat(raised.status()).as(raised.text()).isEqualTo(201);
        long task = raised.json().get("task").get("id").asLong();
        assertThat(post("/api/activity", "{\"clientId\":\"deep-1\",\"type\":\"t\",\"data\":" + deep + "}").status())
                .isEqualTo(201);

        for (String route : List.of("/api/agents", "/api/agents/deepest", "/api/messages", "/api/messages?for=bob",
                "/api/messages/" + message, "/api/messages/" + message + "/thread", "/api/tasks", "/api/tasks/" + task,
                "/api/events?limit=1000", "/api/activity?limit=500")) {
            Http.Response read = http.get(route);
            assertThat(read.status()).as("%s: %s", route, read.text()).isEqualTo(200);
            assertThat(read.json()).as(route).isNotNull();
        }
    }

    @Test
    void aValueNestedTooDeepByAnOlderRelayDoesNotBreakTheReadsThatShowIt() throws Exception {
        relay.register("legacy");
        // As a relay without the nesting limit stored it: 998 levels, written straight to the store.
        try (java.sql.Connection db = relay.database().connect();
             java.sql.PreparedStatement update = db.prepareStatement("UPDATE agents SET meta = ? WHERE id = ?")) {
            update.setString(1, "{\"deep\":" + nested(998) + "}");
            update.setString(2, "legacy");
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        Http.Response list = http.get("/api/agents");
        Http.Response one = http.get("/api/agents/legacy");

        assertThat(list.status()).as(list.text()).isEqualTo(200);
        assertThat(one.status()).as(one.text()).isEqualTo(200);
        assertThat(one.json().get("meta").get("_unreadable").asText()).contains("deeper than 256");
    }

    @Test
    void aLoneSurrogateIsRefusedSoDistinctKeysCannotCollide() throws Exception {
        relay.register("victim?");
        long before = lastEventId();

        Http.Response agent = post("/api/agents", "{\"id\":\"victim\\udfff\",\"name\":\"v\"}");
        Http.Response key = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\","
                + "\"idempotencyKey\":\"k\\ud800\"}");
        Http.Response metaKey = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\","
                + "\"meta\":{\"\\udc00x\":1}}");
        Http.Response reversed = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"\\udc00\\ud800\"}");
        Http.Response activity = post("/api/activity", "{\"clientId\":\"c\\udfff\",\"type\":\"t\"}");

        assertThat(agent.status()).as(agent.text()).isEqualTo(400);
        assertThat(agent.json().get("field").asText()).isEqualTo("id");
        assertThat(agent.error()).contains("not valid Unicode");
        assertThat(key.json().get("field").asText()).isEqualTo("idempotencyKey");
        assertThat(metaKey.json().get("field").asText()).isEqualTo("meta");
        assertThat(reversed.json().get("field").asText()).isEqualTo("body");
        assertThat(activity.status()).as(activity.text()).isEqualTo(400);
        assertThat(activity.json().get("field").asText()).isEqualTo("clientId");
        assertThat(lastEventId()).isEqualTo(before);
        assertThat(http.get("/api/agents/victim%3F").json().get("name").asText()).isEqualTo("victim?");
        // A proper pair (an emoji) is fine.
        assertThat(post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"\\ud83d\\ude00\"}").status())
                .isEqualTo(201);
    }

    @Test
    void whatEveryWriteRouteAcceptsRendersBack() throws Exception {
        // Astral characters, escapes, control characters and large numbers: accepted, and every
        // write route's answer and the reads after it render them.
        String odd = "\"\\ud83d\\ude00 \\u0001 \\u2028 \\\" é\"";
        String meta = "{\"s\":" + odd + ",\"n\":123456789012345678901234567890,\"f\":1.5e300,\"a\":[null,true]}";
        List<Http.Response> writes = List.of(
                post("/api/agents", "{\"id\":\"odd\",\"name\":" + odd + ",\"meta\":" + meta + "}"),
                raw("PATCH", "/api/agents/odd", ("{\"meta\":" + meta + "}").getBytes(StandardCharsets.UTF_8), null),
                post("/api/agents/odd/heartbeat", "{}"),
                post("/api/messages", "{\"from\":\"odd\",\"to\":\"bob\",\"subject\":" + odd + ",\"body\":" + odd
                        + ",\"meta\":" + meta + ",\"payload\":" + meta + ",\"claimable\":true}"),
                post("/api/system/broadcast", "{\"subject\":" + odd + ",\"body\":" + odd + "}"),
                post("/api/activity", "{\"clientId\":\"odd-1\",\"type\":\"t\",\"summary\":" + odd + ",\"data\":" + meta + "}"),
                http.with("Authorization", "Bearer " + TOKEN).send("POST", "/api/integrations/events",
                        "{\"target\":\"bob\",\"title\":" + odd + ",\"body\":" + odd + ",\"metadata\":" + meta + "}"));
        for (Http.Response write : writes) {
            assertThat(write.status()).as(write.text()).isBetween(200, 201);
            assertThat(write.json()).as(write.text()).isNotNull();
        }
        long task = writes.get(6).json().get("task").get("id").asLong();
        Http.Response progress = http.send("PATCH", "/api/tasks/" + task + "/status",
                "{\"agentId\":\"bob\",\"status\":\"in_progress\",\"progress\":" + odd + "}");
        assertThat(progress.status()).as(progress.text()).isLessThan(500);
        for (String route : List.of("/api/agents", "/api/messages", "/api/messages?for=bob", "/api/tasks",
                "/api/tasks/" + task, "/api/events?limit=1000", "/api/activity?limit=500")) {
            Http.Response read = http.get(route);
            assertThat(read.status()).as("%s: %s", route, read.text()).isEqualTo(200);
        }
    }

    @Test
    void theNulCharacterIsRefusedBecauseNotEveryStoreCanKeepIt() throws Exception {
        long before = lastEventId();
        Http.Response body = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"a\\u0000b\"}");
        Http.Response meta = post("/api/agents", "{\"id\":\"nul\",\"name\":\"n\",\"meta\":{\"k\\u0000\":1}}");

        assertThat(body.status()).as(body.text()).isEqualTo(400);
        assertThat(body.json().get("field").asText()).isEqualTo("body");
        assertThat(body.error()).contains("NUL");
        assertThat(meta.status()).as(meta.text()).isEqualTo(400);
        assertThat(meta.json().get("field").asText()).isEqualTo("meta");
        assertThat(lastEventId()).isEqualTo(before);
        for (String read : List.of("/api/messages?channel=a%00b", "/api/tasks?integration=%00", "/api/agents/a%00b",
                "/api/messages?for=a%00")) {
            Http.Response response = http.get(read);
            assertThat(response.status()).as("%s: %s", read, response.text()).isEqualTo(400);
        }
    }

    @Test
    void anEmptyStringIsNotAValueOfAnEnumField() throws Exception {
        long before = lastEventId();
        Http.Response kind = post("/api/agents", "{\"id\":\"e\",\"name\":\"e\",\"kind\":\"\"}");
        Http.Response status = post("/api/agents/alice/heartbeat", "{\"status\":\"\"}");
        Http.Response messageKind = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\",\"kind\":\"\"}");
        Http.Response severity = http.with("Authorization", "Bearer " + TOKEN).send("POST", "/api/integrations/events",
                "{\"target\":\"bob\",\"title\":\"t\",\"severity\":\"\"}");

        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().get("field").asText()).isEqualTo("kind");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("field").asText()).isEqualTo("status");
        assertThat(messageKind.json().get("field").asText()).isEqualTo("kind");
        assertThat(severity.status()).as(severity.text()).isEqualTo(400);
        assertThat(severity.json().get("field").asText()).isEqualTo("severity");
        assertThat(lastEventId()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotPlainUtf8IsRefused() throws Exception {
        String json = "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"encoded\"}";
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        // "é" as the two bytes of its UTF-8 surrogate-free form would be fine; an overlong '/' is not.
        byte[] overlong = "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"a??\"}".getBytes(StandardCharsets.US_ASCII);
        overlong[overlong.length - 4] = (byte) 0xC0;
        overlong[overlong.length - 3] = (byte) 0xAF;
        long before = lastEventId();

        for (byte[] body : List.of(bom, json.getBytes(StandardCharsets.UTF_16BE), json.getBytes(StandardCharsets.UTF_16LE),
                json.getBytes(StandardCharsets.UTF_16), json.getBytes(java.nio.charset.Charset.forName("UTF-32BE")),
                overlong)) {
            Http.Response response = raw("POST", "/api/messages", body, "application/json");
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.error()).contains("not valid JSON");
        }
        assertThat(lastEventId()).isEqualTo(before);
    }

    @Test
    void aNumberBeyondTheRangeOfADoubleIsRefusedNotStoredAsInfinity() throws Exception {
        long before = lastEventId();
        Http.Response response = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\","
                + "\"meta\":{\"big\":1e400}}");
        Http.Response negative = post("/api/agents", "{\"id\":\"n\",\"name\":\"n\",\"meta\":{\"x\":[-1e400]}}");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("meta");
        assertThat(negative.json().get("field").asText()).isEqualTo("meta");
        assertThat(lastEventId()).isEqualTo(before);
    }

    @Test
    void aKeyGivenTwiceIsRefused() throws Exception {
        long before = lastEventId();
        Http.Response top = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\",\"from\":\"bob\"}");
        Http.Response nested = post("/api/messages", "{\"from\":\"alice\",\"to\":\"bob\",\"body\":\"b\","
                + "\"meta\":{\"a\":1,\"a\":2}}");

        assertThat(top.status()).as(top.text()).isEqualTo(400);
        assertThat(top.json().get("field").asText()).isEqualTo("from");
        assertThat(top.error()).contains("twice");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("field").asText()).isEqualTo("meta");
        assertThat(lastEventId()).isEqualTo(before);
    }

    @Test
    void aMultipartBodyIsRefusedRatherThanIgnored() throws Exception {
        String boundary = "b0undary";
        byte[] form = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nbusy\r\n--"
                + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        String type = "multipart/form-data; boundary=" + boundary;
        relay.register("guarded", Map.of("instanceId", "g-2"));

        Http.Response patch = raw("PATCH", "/api/agents/alice", form, type);
        Http.Response heartbeat = raw("POST", "/api/agents/guarded/heartbeat",
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"instanceId\"\r\n\r\ng-1\r\n--"
                        + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), type);

        assertThat(patch.status()).as(patch.text()).isEqualTo(415);
        assertThat(patch.error()).contains("application/json");
        assertThat(heartbeat.status()).as(heartbeat.text()).isEqualTo(415);
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isNotEqualTo("busy");
        // A JSON body under a form content type (curl -d sends one) is still read as JSON.
        Http.Response urlencoded = raw("POST", "/api/agents/guarded/heartbeat",
                "{\"instanceId\":\"g-1\"}".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        assertThat(urlencoded.status()).as(urlencoded.text()).isEqualTo(409);
    }

    @Test
    void pathIdsAreAsciiDigitsOnly() {
        for (String path : List.of("/api/messages/%EF%BC%91", "/api/messages/+1", "/api/tasks/+1",
                "/api/tasks/%D9%A1", "/api/messages/1%20")) {
            Http.Response response = http.get(path);
            assertThat(response.status()).as("%s: %s", path, response.text()).isEqualTo(400);
            assertThat(response.error()).contains("invalid");
        }
        assertThat(http.get("/api/messages?limit=%EF%BC%95").status()).isEqualTo(400);
        assertThat(http.get("/api/messages?since=+1").status()).isEqualTo(400);
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() throws Exception {
        for (String path : List.of("/api/health", "/api/agents", "/api/messages?for=bob")) {
            HttpResponse<String> head = http.client().send(HttpRequest.newBuilder(URI.create(relay.url() + path))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
        }
    }
}
