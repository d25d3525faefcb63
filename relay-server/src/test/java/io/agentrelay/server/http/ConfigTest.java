package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/config}: the versioned config store over HTTP — statuses, bodies and error texts of
 * the TypeScript server (REFERENCE.md §2.3), our compare-and-set and namespace list, the
 * {@code config.changed} event on the log and on live streams, and bad input that is a 4xx naming
 * its field and leaves nothing behind.
 */
class ConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start() {
        start(Map.of());
    }

    private void start(Map<String, String> env) {
        relay = TestRelay.start(dir, env);
        http = relay.http();
    }

    private Http.Response put(String path, Object body) {
        return http.put("/api/config/" + path, body);
    }

    private static Map<String, Object> value(Object value) {
        Map<String, Object> body = new HashMap<>();
        body.put("value", value);
        return body;
    }

    private static Map<String, Object> value(Object value, String updatedBy) {
        Map<String, Object> body = value(value);
        body.put("updatedBy", updatedBy);
        return body;
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    private List<Long> historyVersions(String path) {
        Http.Response history = http.get("/api/config/" + path + "/history");
        assertThat(history.status()).as("%s", history.text()).isEqualTo(200);
        return JsonLists.nodes(history.json()).stream().map(r -> r.get("version").asLong()).toList();
    }

    private static void assertRefused(Http.Response response, int status, String error, String field) {
        assertThat(response.status()).as("%s", response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
        if (field != null) {
            assertThat(response.json().get("field").asText()).isEqualTo(field);
        }
    }

    /** Nothing of {@code path} was written: no entry, no history, no event. */
    private void assertNothingWritten(String path) {
        assertRefused(http.get("/api/config/" + path), 404, "config not found", null);
        assertThat(historyVersions(path)).isEmpty();
        assertThat(relay.events("config.changed")).isEmpty();
    }

    @Test
    void theFirstWriteOfAKeyIs201AtVersionOneAndEveryLaterWriteIs200AtTheNext() throws Exception {
        start();
        long t0 = relay.clock().millis();

        Http.Response created = put("agents/defaults", value(Map.of("model", "m1", "tools", List.of("git", "mvn")), "alice"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).isEqualTo(json("{\"namespace\":\"agents\",\"key\":\"defaults\",\"value\":{\"model\":\"m1\","
                + "\"tools\":[\"git\",\"mvn\"]},\"version\":1,\"updatedBy\":\"alice\",\"createdAt\":" + t0
                + ",\"updatedAt\":" + t0 + "}"));

        relay.clock().advance(Duration.ofSeconds(5));
        Http.Response replaced = put("agents/defaults", value(42));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("version").asLong()).isEqualTo(2);
        assertThat(replaced.json().get("value").asInt()).isEqualTo(42);
        assertThat(replaced.json().get("updatedBy").isNull()).isTrue();
        assertThat(replaced.json().get("createdAt").asLong()).isEqualTo(t0);
        assertThat(replaced.json().get("updatedAt").asLong()).isEqualTo(t0 + 5_000);

        Http.Response read = http.get("/api/config/agents/defaults");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(replaced.json());
        assertThat(put("agents/Zeta", value("z")).status()).isEqualTo(201);
        assertThat(put("agents/alpha", value(true)).status()).isEqualTo(201);
        assertThat(put("spawn-policy/reviewer", value(Map.of("orchestratorId", "o1", "provider", "claude"))).status()).isEqualTo(201);

        Http.Response list = http.get("/api/config/agents");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).as("a bare array").isTrue();
        assertThat(JsonLists.nodes(list.json())).extracting(e -> e.get("key").asText())
                .containsExactly("Zeta", "alpha", "defaults");
        assertThat(JsonLists.nodes(list.json()).get(2)).isEqualTo(replaced.json());
        Http.Response empty = http.get("/api/config/nobody-here");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json()).isEqualTo(json("[]"));

        assertThat(http.get("/api/config").json()).isEqualTo(json("[{\"namespace\":\"agents\",\"keys\":3,\"updatedAt\":"
                + (t0 + 5_000) + "},{\"namespace\":\"spawn-policy\",\"keys\":1,\"updatedAt\":" + (t0 + 5_000) + "}]"));
    }

    @Test
    void nullIsAValueButABodyWithoutValueIsRefused() {
        start();

        Http.Response nothing = put("ns/k", Map.of("updatedBy", "alice"));
        assertRefused(nothing, 400, "value required", "value");
        assertRefused(put("ns/k", Map.of()), 400, "value required", "value");
        assertNothingWritten("ns/k");

        Http.Response isNull = put("ns/k", value(null));
        assertThat(isNull.status()).isEqualTo(201);
        assertThat(isNull.json().has("value")).isTrue();
        assertThat(isNull.json().get("value").isNull()).isTrue();
        assertThat(http.get("/api/config/ns/k").json().get("value").isNull()).isTrue();
    }

    @Test
    void aBodyThatIsNotAJsonObjectIsRefusedAndWritesNothing() {
        start();

        for (String body : List.of("", "  ", "[1,2]", "\"text\"", "null", "3", "true")) {
            assertRefused(put("ns/k", body), 400, "JSON object body required", null);
        }
        assertThat(put("ns/k", "{\"value\":").error()).startsWith("body is not valid JSON");
        assertThat(put("ns/k", "{\"value\":1} trailing").status()).isEqualTo(400);
        assertNothingWritten("ns/k");
    }

    @Test
    void aDeletionIsAVersionedWriteKeptInTheHistoryAndAReCreatedKeyContinuesFromIt() throws Exception {
        start();
        put("ns/k", value("one", "alice"));
        put("ns/k", value("two", "alice"));

        Http.Response deleted = http.delete("/api/config/ns/k?updatedBy=bob");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(json("{\"ok\":true}"));
        assertRefused(http.get("/api/config/ns/k"), 404, "config not found", null);
        assertRefused(http.delete("/api/config/ns/k"), 404, "config not found", null);
        assertRefused(http.delete("/api/config/ns/never"), 404, "config not found", null);
        assertThat(http.get("/api/config/ns").json()).isEqualTo(json("[]"));
        assertThat(http.get("/api/config").json()).as("no live key left in ns").isEqualTo(json("[]"));

        Http.Response again = put("ns/k", value("three", "carol"));
        assertThat(again.status()).as("not the key's first version: 200").isEqualTo(200);
        assertThat(again.json().get("version").asLong()).isEqualTo(4);
        assertThat(again.json().get("createdAt").asLong()).isEqualTo(again.json().get("updatedAt").asLong());

        Http.Response history = http.get("/api/config/ns/k/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(JsonLists.nodes(history.json())).extracting(r -> r.get("version").asLong(), r -> r.get("deleted").asBoolean(),
                        r -> r.get("value").isNull() ? null : r.get("value").asText(), r -> r.get("updatedBy").asText())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4L, false, "three", "carol"),
                        org.assertj.core.groups.Tuple.tuple(3L, true, null, "bob"),
                        org.assertj.core.groups.Tuple.tuple(2L, false, "two", "alice"),
                        org.assertj.core.groups.Tuple.tuple(1L, false, "one", "alice"));
        assertThat(relay.events("config.changed")).extracting(e -> e.get("data").get("version").asLong())
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void historyIsNewestFirstLimitedAndPagedByVersion() {
        start();
        for (int n = 1; n <= 6; n++) {
            put("ns/k", value(n));
        }

        assertThat(historyVersions("ns/k")).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
        Http.Response two = http.get("/api/config/ns/k/history?limit=2");
        assertThat(JsonLists.nodes(two.json())).extracting(r -> r.get("version").asLong()).containsExactly(6L, 5L);
        Http.Response older = http.get("/api/config/ns/k/history?limit=2&before=5");
        assertThat(JsonLists.nodes(older.json())).extracting(r -> r.get("version").asLong()).containsExactly(4L, 3L);
        assertThat(http.get("/api/config/ns/k/history?limit=500").status()).isEqualTo(200);
        assertThat(http.get("/api/config/ns/never/history").json().isEmpty()).as("a key never written has no history")
                .isTrue();

        for (String limit : List.of("0", "501", "-1", "abc", "1.5", "%EF%BC%91", "99999999999999999999")) {
            assertRefused(http.get("/api/config/ns/k/history?limit=" + limit), 400,
                    "limit must be an integer between 1 and 500", "limit");
        }
        assertRefused(http.get("/api/config/ns/k/history?before=x"), 400, "before must be a whole number, got 'x'", "before");
    }

    @Test
    void everyWriteAppendsConfigChangedToTheLogAndEveryStreamCarriesIt() throws Exception {
        start();
        relay.register("alice");
        try (SseClient all = SseClient.open(relay.url(), "/api/events/stream?after=0&types=config.changed", Map.of());
             SseClient alice = SseClient.open(relay.url(), "/api/events/stream?after=0&agentId=alice&types=config.changed",
                     Map.of());
             WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(0L, Map.of("agents", List.of("ghost"), "types", List.of("config.changed")));

            put("spawn-policy/reviewer", value(Map.of("orchestratorId", "o1", "provider", "codex")));
            assertThat(http.delete("/api/config/spawn-policy/reviewer").status()).isEqualTo(200);

            for (SseClient stream : List.of(all, alice)) {
                List<SseClient.Frame> frames = stream.events(2, WAIT);
                assertThat(frames).extracting(SseClient.Frame::event).containsExactly("config.changed", "config.changed");
                assertChanged(frames.get(0).data(), 1);
                assertChanged(frames.get(1).data(), 2);
            }
            List<JsonNode> frames = ws.events(2, WAIT);
            assertThat(frames).extracting(f -> f.get("name").asText()).containsExactly("config.changed", "config.changed");
            assertThat(frames).extracting(f -> f.get("data").get("version").asLong()).containsExactly(1L, 2L);
            assertThat(frames.get(0).get("subject").asText()).isEqualTo("spawn-policy:reviewer");
        }
        List<JsonNode> logged = relay.events("config.changed");
        assertThat(logged).hasSize(2);
        assertChanged(logged.get(0), 1);
        Http.Response forBob = http.get("/api/events?types=config.changed&agentId=bob");
        assertThat(forBob.json().get("events")).as("a config change concerns every agent").hasSize(2);

        JsonNode item = JsonLists.nodes(http.get("/api/activity?limit=1").json().get("activity")).get(0);
        assertThat(item.get("title").asText()).isEqualTo("Config changed");
        assertThat(item.get("body").asText()).isEqualTo("spawn-policy:reviewer is at version 2");
    }

    private static void assertChanged(JsonNode event, long version) throws Exception {
        assertThat(event.get("type").asText()).isEqualTo("config.changed");
        assertThat(event.get("source").asText()).isEqualTo("server");
        assertThat(event.get("subject").asText()).isEqualTo("spawn-policy:reviewer");
        assertThat(event.get("scope")).isEqualTo(json("{\"target\":\"broadcast\",\"agentId\":null,\"channel\":null}"));
        assertThat(event.get("data")).isEqualTo(json("{\"namespace\":\"spawn-policy\",\"key\":\"reviewer\",\"version\":"
                + version + "}"));
    }

    @Test
    void ifVersionWritesOnlyAtThatVersionAndAConflictNamesTheCurrentOne() throws Exception {
        start();

        Map<String, Object> first = value("a");
        first.put("ifVersion", 0);
        assertThat(put("ns/k", first).status()).as("0: only while the key has no entry").isEqualTo(201);
        Http.Response taken = put("ns/k", first);
        assertRefused(taken, 409, "version conflict", null);
        assertThat(taken.json()).isEqualTo(json("{\"error\":\"version conflict\",\"version\":1}"));
        Map<String, Object> stale = value("b");
        stale.put("ifVersion", 7);
        assertThat(put("ns/k", stale).json().get("version").asLong()).isEqualTo(1);
        Map<String, Object> current = value("b");
        current.put("ifVersion", 1);
        assertThat(put("ns/k", current).json().get("version").asLong()).isEqualTo(2);

        assertThat(http.delete("/api/config/ns/k?ifVersion=1").json())
                .isEqualTo(json("{\"error\":\"version conflict\",\"version\":2}"));
        assertThat(http.delete("/api/config/ns/k?ifVersion=2").status()).isEqualTo(200);
        Map<String, Object> afterDelete = value("c");
        afterDelete.put("ifVersion", 3);
        assertThat(put("ns/k", afterDelete).json()).as("a deleted key is at no version: 0")
                .isEqualTo(json("{\"error\":\"version conflict\",\"version\":0}"));
        assertRefused(http.delete("/api/config/ns/k?ifVersion=3"), 404, "config not found", null);

        Map<String, Object> text = value("d");
        text.put("ifVersion", "2");
        assertRefused(put("ns/k", text), 400, "ifVersion must be a whole number", "ifVersion");
        Map<String, Object> negative = value("d");
        negative.put("ifVersion", -1);
        assertRefused(put("ns/k", negative), 400, "ifVersion must be between 0 and " + Long.MAX_VALUE, "ifVersion");
        assertRefused(http.delete("/api/config/ns/k?ifVersion=two"), 400, "ifVersion must be a whole number, got 'two'",
                "ifVersion");

        assertThat(historyVersions("ns/k")).as("refused writes leave no trace").containsExactly(3L, 2L, 1L);
        assertThat(relay.events("config.changed")).hasSize(3);
    }

    @Test
    void pathParametersAreCheckedAndTheRefusalNamesThem() {
        start();
        String longest = "k".repeat(240);

        assertThat(put("ns/" + longest, value(1)).status()).isEqualTo(201);
        assertThat(put("n%C3%A4me-%F0%9F%98%80/a.b:c@d_e~f", value(1)).status()).as("Unicode and punctuation").isEqualTo(201);
        assertThat(http.get("/api/config/n%C3%A4me-%F0%9F%98%80/a.b:c@d_e~f").json().get("namespace").asText())
                .isEqualTo("näme-\uD83D\uDE00");

        String tooLong = "k".repeat(241);
        assertRefused(put("ns/" + tooLong, value(1)), 400, "key must be at most 240 characters", "key");
        assertRefused(put("n".repeat(241) + "/k", value(1)), 400, "namespace must be at most 240 characters", "namespace");
        assertRefused(http.get("/api/config/" + "n".repeat(241)), 400, "namespace must be at most 240 characters",
                "namespace");
        String forbidden = "must not contain whitespace, '/', control characters or lone surrogates";
        for (String bad : List.of("a%20b", "a%2Fb", "a%09b", "a%01b", "a%7Fb", "a%E2%80%83b")) {
            assertRefused(put("ns/" + bad, value(1)), 400, "key " + forbidden, "key");
            assertRefused(put(bad + "/k", value(1)), 400, "namespace " + forbidden, "namespace");
            assertRefused(http.get("/api/config/ns/" + bad + "/history"), 400, "key " + forbidden, "key");
            assertRefused(http.delete("/api/config/" + bad + "/k"), 400, "namespace " + forbidden, "namespace");
        }
        String notUtf8 = "must be UTF-8 once percent-decoded (U+FFFD, the replacement character, is refused too)";
        for (String bad : List.of("a%FFb", "a%C3b", "a%ED%A0%80b", "a%EF%BF%BDb")) {
            assertRefused(put("ns/" + bad, value(1)), 400, "key " + notUtf8, "key");
            assertRefused(http.get("/api/config/" + bad), 400, "namespace " + notUtf8, "namespace");
        }
        assertRefused(put("ns/a%00b", value(1)), 400, "key must not hold the NUL character (%00)", "key");
        assertRefused(http.get("/api/config/a%00b"), 400, "namespace must not hold the NUL character (%00)", "namespace");

        assertThat(http.get("/api/config/ns").json()).as("only the two good keys").hasSize(1);
        assertThat(relay.events("config.changed")).hasSize(2);
    }

    @Test
    void updatedByIsAtMost200CharactersAndMustBeAString() {
        start();

        assertRefused(put("ns/k", value(1, "u".repeat(201))), 400, "updatedBy must be at most 200 characters", "updatedBy");
        Map<String, Object> number = value(1);
        number.put("updatedBy", 7);
        assertRefused(put("ns/k", number), 400, "updatedBy must be a string", "updatedBy");
        assertNothingWritten("ns/k");

        assertThat(put("ns/k", value(1, "  " + "u".repeat(200) + "  ")).json().get("updatedBy").asText())
                .isEqualTo("u".repeat(200));
        assertRefused(http.delete("/api/config/ns/k?updatedBy=" + "u".repeat(201)), 400,
                "updatedBy must be at most 200 characters", "updatedBy");
        assertThat(http.get("/api/config/ns/k").status()).as("not deleted").isEqualTo(200);
        assertThat(put("ns/k", value(2, "   ")).json().get("updatedBy").isNull()).as("blank is nobody").isTrue();
    }

    @Test
    void valuesTheStoreCannotKeepAreRefusedNamingValueAndWriteNothing() {
        start();

        assertRefused(put("ns/k", "{\"value\":\"\\udfff\"}"), 400, "value is not valid Unicode (it holds a lone surrogate)",
                "value");
        assertRefused(put("ns/k", "{\"value\":{\"a\":[\"x\\ud800\"]}}"), 400,
                "value is not valid Unicode (it holds a lone surrogate)", "value");
        assertRefused(put("ns/k", "{\"value\":\"a\\u0000b\"}"), 400, "value must not hold the NUL character (\\u0000)", "value");
        assertRefused(put("ns/k", "{\"value\":{\"\\ud800\":1}}"), 400,
                "value has a key that is not valid Unicode (a lone surrogate) or holds the NUL character", "value");
        assertRefused(put("ns/k", "{\"value\":1e400}"), 400, "value holds a number too large to store (beyond ±1.8e308)",
                "value");
        assertRefused(put("ns/k", "{\"value\":" + "[".repeat(33) + "]".repeat(33) + "}"), 400,
                "value is nested deeper than 32 levels (AGENT_RELAY_MAX_JSON_DEPTH)", "value");
        assertRefused(put("ns/k", "{\"value\":{\"a\":1,\"a\":2}}"), 400, "value has the key 'a' twice", "value");
        assertRefused(put("ns/k", "{\"value\":1,\"value\":2}"), 400, "value appears twice in the body", "value");
        assertNothingWritten("ns/k");

        Http.Response deep = put("ns/k", "{\"value\":" + "[".repeat(32) + "]".repeat(32) + ",\"note\":\"\\ud83d\\ude00\"}");
        assertThat(deep.status()).as("32 levels and a surrogate pair are fine").isEqualTo(201);
    }

    @Test
    void otherMethodsAre405AndAKeyNamedHistoryIsAKeyLikeAnyOther() {
        start();

        assertThat(http.post("/api/config/ns/k", value(1)).status()).isEqualTo(405);
        assertThat(http.patch("/api/config/ns/k", value(1)).status()).isEqualTo(405);
        assertThat(http.put("/api/config/ns/k/history", value(1)).status()).isEqualTo(405);
        assertThat(http.delete("/api/config/ns").status()).isEqualTo(405);

        assertThat(put("ns/history", value("a key")).status()).isEqualTo(201);
        assertThat(http.get("/api/config/ns/history").json().get("value").asText()).isEqualTo("a key");
        assertThat(historyVersions("ns/history")).containsExactly(1L);
        assertThat(http.send("HEAD", "/api/config/ns/history", null).status()).isEqualTo(200);
    }

    @Test
    void concurrentWritersOfOneKeyEachGetTheirOwnVersionAndExactlyOneGets201() throws Exception {
        start();
        int writers = 16;
        List<Http.Response> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<Http.Response>> puts = IntStream.range(0, writers).mapToObj(n -> pool.submit(() -> {
                go.await();
                return put("ns/hot", value(n, "writer-" + n));
            })).toList();
            go.countDown();
            for (Future<Http.Response> answer : puts) {
                answers.add(answer.get());
            }
        }

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1)
                .allSatisfy(r -> assertThat(r.json().get("version").asLong()).isEqualTo(1));
        assertThat(answers).extracting(r -> r.json().get("version").asLong())
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, writers).boxed().toList());
        assertThat(historyVersions("ns/hot")).containsExactlyElementsOf(
                LongStream.iterate(writers, v -> v >= 1, v -> v - 1).boxed().toList());
    }

    @Test
    void withATokenTheRoutesNeedItAndAnIntegrationTokenIsRefused() {
        start(Integrations.of().add("monitor", "monitor-token-0123456789", List.of("tag:ops"), List.of())
                .env(Map.of("AGENT_RELAY_TOKEN", "s3cret")));

        assertRefused(http.put("/api/config/ns/k", value(1)), 401,
                "missing token: send Authorization: Bearer <token> or X-Agent-Relay-Token", null);
        assertRefused(http.with("Authorization", "Bearer monitor-token-0123456789").put("/api/config/ns/k", value(1)), 401,
                "invalid token", null);
        assertRefused(http.with("Authorization", "Bearer monitor-token-0123456789").get("/api/config/ns"), 401,
                "invalid token", null);
        assertThat(http.with("X-Agent-Relay-Token", "s3cret").put("/api/config/ns/k", value(1)).status()).isEqualTo(201);
        assertThat(http.with("Authorization", "Bearer s3cret").get("/api/config/ns/k/history").json()).hasSize(1);
    }
}
