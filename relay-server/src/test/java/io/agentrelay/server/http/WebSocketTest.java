package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("bob");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private long head() {
        return relay.http().get("/api/events?limit=1").json().get("lastEventId").asLong();
    }

    private static List<Long> ids(List<JsonNode> frames) {
        return frames.stream().map(f -> f.get("event_id").asLong()).toList();
    }

    @Test
    void helloIsAnsweredWithTheReplayBoundAndTheRelaysInstanceId() throws Exception {
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            JsonNode ok = ws.hello(0L, null);

            assertThat(ok.get("replay_until").asLong()).isEqualTo(head());
            assertThat(ok.get("instance_id").asText())
                    .isEqualTo(relay.http().get("/api/health").json().get("instanceId").asText());
        }
    }

    @Test
    void replaysTheMissedEventsOldestFirstThenStreamsLiveOnes() throws Exception {
        long before = head();
        long first = relay.send("bob", "alice", "one").json().get("id").asLong();
        relay.send("bob", "alice", "two");
        long until = head();
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            JsonNode ok = ws.hello(before, null);
            assertThat(ok.get("replay_until").asLong()).isEqualTo(until);
            relay.send("bob", "alice", "three");

            List<JsonNode> frames = ws.events(3, WAIT);

            assertThat(frames).extracting(f -> f.get("type").asText()).containsOnly("event");
            assertThat(frames).extracting(f -> f.get("name").asText()).containsOnly("message.new");
            assertThat(frames).extracting(f -> f.get("data").get("body").asText()).containsExactly("one", "two", "three");
            assertThat(frames.get(0).get("data").get("id").asLong()).isEqualTo(first);
            assertThat(ids(frames)).isSorted().doesNotHaveDuplicates();
            assertThat(frames.get(2).get("event_id").asLong()).isGreaterThan(until);
            assertThat(frames.get(0).get("scope").get("target").asText()).isEqualTo("alice");
        }
    }

    @Test
    void withoutAResumePointOnlyLiveEventsArrive() throws Exception {
        relay.send("bob", "alice", "history");
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, null);
            relay.send("bob", "alice", "live");

            assertThat(ws.next(WAIT).get("data").get("body").asText()).isEqualTo("live");
        }
    }

    @Test
    void aResumePointBeyondTheLogsEndIsToldInHelloOk() throws Exception {
        long end = head();
        try (WsClient ahead = WsClient.connect(relay.url(), null, Map.of());
             WsClient within = WsClient.connect(relay.url(), null, Map.of())) {
            JsonNode ok = ahead.hello(Long.MAX_VALUE, null);
            JsonNode fine = within.hello(end, null);

            assertThat(ok.get("cursor_ahead").asBoolean()).isTrue();
            assertThat(ok.get("replay_until").asLong()).isEqualTo(end);
            assertThat(ok.get("replay_from").asLong()).isEqualTo(Long.MAX_VALUE);
            assertThat(fine.get("cursor_ahead").asBoolean()).isFalse();
        }
    }

    @Test
    void aClientFarBehindIsReplayedEveryEventInOrderNotJustTheNewest() throws Exception {
        long before = head();
        sendConcurrently(1_050, "bob", "alice");
        long until = head();
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            JsonNode ok = ws.hello(before, Map.of("types", List.of("message.new")));
            List<JsonNode> replay = ws.events(1_050, WAIT);

            // agentlip's client never reads replay_from: a bounded replay would lose the oldest silently.
            assertThat(ok.get("replay_from").asLong()).isEqualTo(before);
            assertThat(replay).hasSize(1_050);
            assertThat(ids(replay)).isSorted().doesNotHaveDuplicates();
            assertThat(replay.get(0).get("event_id").asLong()).isGreaterThan(before);
            assertThat(replay.get(1_049).get("event_id").asLong()).isEqualTo(until);
            // The next frame is the next message: nothing extra came after the replay.
            long sentinel = relay.send("bob", "alice", "sentinel").json().get("id").asLong();
            JsonNode next = ws.events(1, WAIT).get(0);
            assertThat(next.get("data").get("id").asLong()).isEqualTo(sentinel);
        }
    }

    @Test
    void eventsWrittenDuringTheReplayArriveExactlyOnce() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                for (int n = 0; writing.get() && n < 150; n++) {
                    relay.send("bob", "alice", "w" + writer + "-" + n);
                }
            }));
        }
        List<JsonNode> received = new ArrayList<>();
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(0L, null);
            for (Thread writer : writers) {
                writer.join();
            }
            long head = head();
            while (received.isEmpty() || received.get(received.size() - 1).get("event_id").asLong() < head) {
                JsonNode frame = ws.next(WAIT);
                assertThat(frame).as("events up to %d", head).isNotNull();
                received.add(frame);
            }
        }
        List<Long> expected = new ArrayList<>();
        for (JsonNode event : relay.http().get("/api/events?limit=1000").json().get("events")) {
            expected.add(event.get("id").asLong());
        }
        assertThat(ids(received)).containsExactlyElementsOf(expected);
    }

    @Test
    void subscriptionsFilterByAgentTypeAndChannelAndEmptyMeansNothing() throws Exception {
        try (WsClient everything = WsClient.connect(relay.url(), null, Map.of());
             WsClient nothing = WsClient.connect(relay.url(), null, Map.of());
             WsClient forAlice = WsClient.connect(relay.url(), null, Map.of());
             WsClient claimsOnly = WsClient.connect(relay.url(), null, Map.of());
             WsClient opsChannel = WsClient.connect(relay.url(), null, Map.of())) {
            everything.hello(0L, null);
            JsonNode none = nothing.hello(0L, Map.of());
            assertThat(none.get("replay_until").asLong()).isEqualTo(head());
            forAlice.hello(head(), Map.of("agents", List.of("alice")));
            claimsOnly.hello(head(), Map.of("types", List.of("message.claimed")));
            opsChannel.hello(head(), Map.of("channels", List.of("ops"), "agents", List.of("bob")));
            long start = head();

            long toReview = relay.send("bob", "tag:review", "for alice", Map.of("claimable", true)).json().get("id").asLong();
            relay.send("alice", "bob", "for bob", Map.of("channel", "ops"));
            relay.send("alice", "bob", "for bob, no channel");
            relay.http().post("/api/messages/" + toReview + "/claim", Map.of("agentId", "alice"));
            long end = head();

            List<JsonNode> all = new ArrayList<>();
            while (all.isEmpty() || all.get(all.size() - 1).get("event_id").asLong() < end) {
                all.add(everything.next(WAIT));
            }
            List<JsonNode> live = all.stream().filter(f -> f.get("event_id").asLong() > start).toList();
            assertThat(live).hasSize(4);

            assertThat(forAlice.events(3, WAIT)).extracting(f -> f.get("name").asText() + ":" + f.get("data").path("body").asText())
                    .containsExactly("message.new:for alice", "message.new:for bob", "message.new:for bob, no channel");
            // alice's claim is about alice too
            assertThat(forAlice.next(WAIT).get("name").asText()).isEqualTo("message.claimed");
            assertThat(claimsOnly.events(1, WAIT)).singleElement()
                    .satisfies(f -> assertThat(f.get("data").get("claimedBy").asText()).isEqualTo("alice"));
            assertThat(opsChannel.events(1, WAIT)).singleElement()
                    .satisfies(f -> assertThat(f.get("data").get("body").asText()).isEqualTo("for bob"));
            // The filtered-out events must not trail in: a sentinel each stream carries, sent last,
            // must be its next frame.
            long another = relay.send("bob", "tag:review", "sentinel", Map.of("claimable", true)).json().get("id").asLong();
            relay.http().post("/api/messages/" + another + "/claim", Map.of("agentId", "alice"));
            relay.send("alice", "bob", "sentinel", Map.of("channel", "ops"));
            assertThat(claimsOnly.next(WAIT).get("data").get("id").asLong()).isEqualTo(another);
            assertThat(opsChannel.next(WAIT).get("data").get("body").asText()).isEqualTo("sentinel");
            // A stream subscribed to nothing can carry no sentinel; the close its next frame earns
            // is one: every frame sent before it arrives before it.
            nothing.socketSend("{}");
            assertThat(nothing.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(1003);
            assertThat(nothing.next(Duration.ZERO)).as("frames before the close").isNull();
        }
    }

    @Test
    void framesCarryAgentlipScopeAndAnIsoTimestampAndChannelsOrTopicsSelectEvents() throws Exception {
        long before = head();
        long root = relay.send("alice", "bob", "root in ops", Map.of("channel", "ops")).json().get("id").asLong();
        long reply = relay.send("bob", "alice", "reply", Map.of("replyTo", root)).json().get("id").asLong();
        long other = relay.send("bob", "alice", "another thread").json().get("id").asLong();
        try (WsClient byTopic = WsClient.connect(relay.url(), null, Map.of());
             WsClient channelOrTopic = WsClient.connect(relay.url(), null, Map.of())) {
            byTopic.hello(before, Map.of("topics", List.of(Long.toString(root))));
            channelOrTopic.hello(before, Map.of("channels", List.of("ops"), "topics", List.of(other)));
            long later = relay.send("alice", "bob", "later in the thread", Map.of("replyTo", root)).json().get("id").asLong();
            relay.send("alice", "bob", "later in ops", Map.of("channel", "ops"));

            List<JsonNode> thread = byTopic.events(3, WAIT);
            List<JsonNode> union = channelOrTopic.events(3, WAIT);

            assertThat(thread).extracting(f -> f.get("data").get("id").asLong()).containsExactly(root, reply, later);
            JsonNode first = thread.get(0);
            assertThat(first.get("scope").get("channel_id").asText()).isEqualTo("ops");
            assertThat(first.get("scope").get("topic_id").asText()).isEqualTo(Long.toString(root));
            assertThat(first.get("scope").get("target").asText()).as("the relay's own keys stay").isEqualTo("bob");
            assertThat(first.get("scope").get("channel").asText()).isEqualTo("ops");
            assertThat(thread.get(1).get("scope").get("topic_id").asText()).isEqualTo(Long.toString(root));
            assertThat(thread.get(1).get("scope").get("topic_id2").asText()).isEqualTo(Long.toString(reply));
            assertThat(thread.get(1).get("scope").get("channel_id").isNull()).isTrue();
            assertThat(first.get("ts").isTextual()).isTrue();
            assertThat(java.time.Instant.parse(first.get("ts").asText()).toEpochMilli())
                    .isEqualTo(first.get("ts_ms").asLong());
            assertThat(union).extracting(f -> f.get("data").get("body").asText())
                    .containsExactly("root in ops", "another thread", "later in ops");
        }
    }

    @Test
    void anUnknownSubscriptionKeyIsClosedWith1003() throws Exception {
        assertClosedWith(ws -> ws.send(Map.of("type", "hello", "subscriptions", Map.of("topic", List.of("1")))),
                1003, "unknown key topic");
    }

    @Test
    void invalidJsonIsClosedWith1003() throws Exception {
        assertClosedWith(ws -> ws.send("{not json"), 1003, "invalid JSON");
    }

    @Test
    void aFirstFrameThatIsNotHelloIsClosedWith1003() throws Exception {
        assertClosedWith(ws -> ws.send(Map.of("type", "subscribe")), 1003, "hello");
    }

    @Test
    void invalidHelloFieldsAreClosedWith1003() throws Exception {
        assertClosedWith(ws -> ws.send(Map.of("type", "hello", "after_event_id", "x")), 1003, "after_event_id");
        assertClosedWith(ws -> ws.send(Map.of("type", "hello", "subscriptions", Map.of("types", List.of("nope")))),
                1003, "types");
        assertClosedWith(ws -> ws.send(Map.of("type", "hello", "subscriptions", Map.of("agents", List.of("tag:x")))),
                1003, "agents");
        assertClosedWith(ws -> ws.send(Map.of("type", "hello", "subscriptions", List.of())), 1003, "subscriptions");
    }

    @Test
    void aFrameAfterTheHandshakeIsClosedWith1003() throws Exception {
        assertClosedWith(ws -> {
            try {
                ws.hello(0L, null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ws.send(Map.of("type", "ping"));
        }, 1003, "after the handshake");
    }

    @Test
    void aFrameOverTheSizeLimitIsClosedWith1009() throws Exception {
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.socketSend("{\"type\":\"hello\",\"pad\":\"" + "x".repeat(WebSocketRoutes.MAX_FRAME_BYTES) + "\"}");
            assertThat(ws.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1009);
        }
    }

    @Test
    void aReaderThatStopsReadingIsClosedWith1008WhileAFastReaderGetsEverything() throws Exception {
        relay.close();
        relay = TestRelay.start(dir.resolve("slow"), Map.of("AGENT_RELAY_STREAM_QUEUE_BYTES", "16384"));
        relay.register("alice");
        String body = "y".repeat(32 * 1024);
        int count = 300;
        try (WsClient slow = WsClient.connect(relay.url(), null, Map.of(), false);
             WsClient fast = WsClient.connect(relay.url(), null, Map.of())) {
            slow.hello(null, null);
            fast.hello(null, null);
            sendConcurrently(count, "bob", "alice", body);

            assertThat(fast.events(count, Duration.ofSeconds(60))).hasSize(count);
            slow.resume();
            WsClient.Close close = slow.closed().get(30, TimeUnit.SECONDS);
            assertThat(close.code()).isEqualTo(1008);
            assertThat(close.reason()).isEqualTo("backpressure");
        }
    }

    @Test
    void shutdownClosesWith1001() throws Exception {
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.hello(null, null);
            relay.close();
            assertThat(ws.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
        }
    }

    @Test
    void aFailingReplayClosesWith1011() throws Exception {
        relay.send("bob", "alice", "one");
        // A real fault: the event log disappears under the relay, so the replay query fails.
        try (Connection sql = relay.database().connect();
             Statement statement = sql.createStatement()) {
            statement.execute("ALTER TABLE events RENAME TO events_gone");
        }
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            ws.send(Map.of("type", "hello", "after_event_id", 0));
            assertThat(ws.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1011);
        }
    }

    @Test
    void withATokenTheUpgradeIsRefusedWithoutItAndAcceptedWithHeaderOrQuery() throws Exception {
        relay.close();
        relay = TestRelay.start(dir.resolve("auth"), Map.of("AGENT_RELAY_TOKEN", "s3cret"));
        // The JDK client reports the refused upgrade's status in its exception message.
        assertThatThrownBy(() -> WsClient.connect(relay.url(), null, Map.of()))
                .rootCause().hasMessageContaining("401");
        assertThatThrownBy(() -> WsClient.connect(relay.url(), "?token=wrong", Map.of()))
                .rootCause().hasMessageContaining("401");
        try (WsClient viaQuery = WsClient.connect(relay.url(), "?token=s3cret", Map.of());
             WsClient viaHeader = WsClient.connect(relay.url(), null, Map.of("Authorization", "Bearer s3cret"))) {
            assertThat(viaQuery.hello(null, null).get("type").asText()).isEqualTo("hello_ok");
            assertThat(viaHeader.hello(null, null).get("type").asText()).isEqualTo("hello_ok");
        }
    }

    @Test
    void aPlainGetOnTheHubPathIsABadRequest() {
        Http.Response response = relay.http().get("/ws");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("WebSocket");
    }

    @Test
    void reconnectingAfterARestartWithTheLastSeenIdMissesNothing() throws Exception {
        long lastSeen;
        String firstInstance;
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            firstInstance = ws.hello(null, null).get("instance_id").asText();
            relay.send("bob", "alice", "seen");
            lastSeen = ws.next(WAIT).get("event_id").asLong();
            relay.send("bob", "alice", "sent while the client was away");
            relay.close();
            assertThat(ws.closed().get(10, TimeUnit.SECONDS).code()).isEqualTo(1001);
        }
        relay = TestRelay.restart(relay.database(), relay.clock(), Map.of());
        relay.send("bob", "alice", "sent after the restart");

        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            JsonNode ok = ws.hello(lastSeen, null);
            assertThat(ok.get("instance_id").asText()).isNotEqualTo(firstInstance);
            relay.send("bob", "alice", "live after reconnecting");

            assertThat(ws.events(3, WAIT)).extracting(f -> f.get("data").get("body").asText())
                    .containsExactly("sent while the client was away", "sent after the restart", "live after reconnecting");
        }
    }

    private void assertClosedWith(java.util.function.Consumer<WsClient> action, int code, String reasonPart)
            throws Exception {
        try (WsClient ws = WsClient.connect(relay.url(), null, Map.of())) {
            action.accept(ws);
            WsClient.Close close = ws.closed().get(10, TimeUnit.SECONDS);
            assertThat(close.code()).isEqualTo(code);
            assertThat(close.reason()).contains(reasonPart);
        }
    }

    private void sendConcurrently(int count, String from, String to) throws InterruptedException {
        sendConcurrently(count, from, to, null);
    }

    private void sendConcurrently(int count, String from, String to, String body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                int n;
                while ((n = next.getAndIncrement()) < count) {
                    relay.send(from, to, body == null ? "m" + n : body);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
