package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SseStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_SSE_HEARTBEAT_MS", "200"));
        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("bob");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aMessageToTheAgentsTagArrivesLiveWithItsEventId() throws Exception {
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream?agentId=alice", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            long id = relay.send("bob", "tag:review", "please look").json().get("id").asLong();

            SseClient.Frame frame = stream.nextEvent(WAIT);

            assertThat(frame).isNotNull();
            assertThat(frame.event()).isEqualTo("message.new");
            assertThat(frame.data().get("data").get("id").asLong()).isEqualTo(id);
            assertThat(frame.id()).isEqualTo(frame.data().get("id").asLong());
        }
    }

    @Test
    void resumingFromLastEventIdReplaysTheGapThenGoesLiveWithoutDuplicates() throws Exception {
        long seen;
        try (SseClient first = SseClient.open(relay.url(), "/api/events/stream?agentId=alice", Map.of())) {
            relay.send("bob", "alice", "one");
            seen = first.nextEvent(WAIT).id();
        }
        relay.send("bob", "alice", "two");
        relay.send("bob", "broadcast", "three");
        relay.send("bob", "tag:other", "not for alice");

        try (SseClient resumed = SseClient.open(relay.url(), "/api/events/stream?agentId=alice",
                Map.of("Last-Event-ID", Long.toString(seen)))) {
            relay.send("bob", "alice", "four");
            List<SseClient.Frame> frames = resumed.events(3, WAIT);

            assertThat(frames).extracting(f -> f.data().get("data").get("body").asText())
                    .containsExactly("two", "three", "four");
            assertThat(frames).extracting(SseClient.Frame::id).isSorted().doesNotHaveDuplicates();
            // Nothing else trails in: a sentinel sent last must be the next event.
            relay.send("bob", "alice", "sentinel");
            assertThat(resumed.nextEvent(WAIT).data().get("data").get("body").asText()).isEqualTo("sentinel");
        }
    }

    @Test
    void aResumePointBeyondTheLogsEndIsToldWithWhereTheLogEnds() throws Exception {
        long end = relay.http().get("/api/events").json().get("lastEventId").asLong();
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream?agentId=alice",
                Map.of("Last-Event-ID", Long.toString(Long.MAX_VALUE)))) {
            SseClient.Frame notice = stream.nextEvent(WAIT);

            assertThat(notice).isNotNull();
            assertThat(notice.event()).isEqualTo("stream.cursor_ahead");
            assertThat(notice.id()).as("the client's cursor is not moved for it").isNull();
            assertThat(notice.data().get("lastEventId").asLong()).isEqualTo(end);
            assertThat(notice.data().get("after").asLong()).isEqualTo(Long.MAX_VALUE);
        }
        // A resume point within the log gets no notice: the first event is the next one.
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream?agentId=alice",
                Map.of("Last-Event-ID", Long.toString(end)))) {
            relay.send("bob", "alice", "next");
            assertThat(stream.nextEvent(WAIT).event()).isEqualTo("message.new");
        }
    }

    @Test
    void statsCountOpenStreamsOnlyNotTheRelaysOwnListeners() throws Exception {
        // The callback dispatcher follows the event bus too; it is not a stream.
        assertThat(openStreams()).isZero();
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream?agentId=alice", Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(openStreams()).isEqualTo(1);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (openStreams() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the relay sees the close a moment later, on its event loop
        }
        assertThat(openStreams()).isZero();
    }

    private long openStreams() {
        return relay.http().get("/api/stats").json().get("streams").asLong();
    }

    @Test
    void idleStreamsReceiveHeartbeatComments() throws Exception {
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream", Map.of())) {
            SseClient.Frame frame;
            do {
                frame = stream.next(WAIT);
            } while (frame != null && !"keep-alive".equals(frame.comment()));
            assertThat(frame).isNotNull();
        }
    }

    @Test
    void shutdownEndsOpenStreamsWithAReasonBeforeTheStoreCloses() throws Exception {
        try (SseClient stream = SseClient.open(relay.url(), "/api/events/stream?agentId=alice", Map.of())) {
            relay.send("bob", "alice", "before shutdown");
            assertThat(stream.nextEvent(WAIT)).isNotNull();

            relay.close();

            SseClient.Frame frame;
            do {
                frame = stream.next(WAIT);
            } while (frame != null && !SseClient.isEnd(frame) && !"closed shutdown".equals(frame.comment()));
            assertThat(frame).isNotNull().isNotSameAs(SseClient.END);
            assertThat(stream.next(WAIT)).isSameAs(SseClient.END);
        }
    }

    @Test
    void aReaderThatStopsReadingIsCutWhileAFastReaderReceivesEverything() throws Exception {
        relay.close();
        relay = TestRelay.start(dir.resolve("slow"), Map.of("AGENT_RELAY_STREAM_QUEUE_BYTES", "16384"));
        relay.register("alice");
        String body = "x".repeat(64 * 1024);
        int count = 150;
        try (java.net.Socket slow = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                java.net.URI.create(relay.url()).getPort());
             SseClient fast = SseClient.open(relay.url(), "/api/events/stream?agentId=alice", Map.of())) {
            slow.getOutputStream().write("GET /api/events/stream?agentId=alice HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            // Let the relay accept the slow stream before the flood (it answers with headers first).
            java.io.InputStream in = slow.getInputStream();
            byte[] first = new byte[64];
            assertThat(in.read(first)).isPositive();

            for (int i = 0; i < count; i++) {
                relay.send("bob", "alice", body);
            }
            assertThat(fast.events(count, Duration.ofSeconds(60))).hasSize(count);
            // The slow reader's connection was cut: draining what the kernel had buffered ends in EOF or a
            // reset, well short of everything that was sent.
            slow.setSoTimeout(30_000);
            long drained = 0;
            try {
                byte[] chunk = new byte[65536];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    drained += n;
                }
            } catch (java.net.SocketException reset) {
                // connection reset by the relay: also a cut
            }
            assertThat(drained).isLessThan((long) count * body.length());
        }
    }
}
