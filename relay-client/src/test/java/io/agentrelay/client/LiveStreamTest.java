package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.RelayEvent;
import io.agentrelay.server.testing.TestRelay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's live subscription against a real relay: live delivery, resume, restart, refusal. */
class LiveStreamTest {
    private static final StreamOptions FAST = StreamOptions.DEFAULTS.withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("alice", Map.of("tags", List.of("review")));
        client = RelayClient.connect(relay.url(), null);
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void messagesThatConcernTheAgentArriveLiveAndOthersDoNot() throws Exception {
        Recorder recorder = new Recorder();
        try (LiveStream stream = client.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.MESSAGE_NEW),
                FAST, recorder)) {
            client.messages().send("bob", "tag:other", "not for alice");
            long id = client.messages().send("bob", "tag:review", "for alice").message().id();

            List<RelayEvent> events = recorder.take(1);

            assertThat(events).hasSize(1);
            assertThat(events.get(0).type()).isEqualTo("message.new");
            assertThat(events.get(0).data().get("id").asLong()).isEqualTo(id);
            assertThat(events.get(0).data().get("body").asText()).isEqualTo("for alice");
            assertThat(stream.lastEventId()).isEqualTo(events.get(0).id());
            // Nothing else trails in: a sentinel sent last must be the next event.
            client.messages().send("bob", "alice", "sentinel");
            assertThat(recorder.take(1)).extracting(e -> e.data().get("body").asText()).containsExactly("sentinel");
        }
    }

    @Test
    void eventsWrittenBeforeSubscribeAreNotDeliveredUnlessResumedFrom() throws Exception {
        long before = client.events().newestEventId();
        client.messages().send("bob", "alice", "history");

        Recorder fromNow = new Recorder();
        Recorder resumed = new Recorder();
        try (LiveStream now = client.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.MESSAGE_NEW), FAST, fromNow);
             LiveStream old = client.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.MESSAGE_NEW),
                     FAST.withResumeAfter(before), resumed)) {
            client.messages().send("bob", "alice", "live");

            assertThat(fromNow.take(1)).extracting(e -> e.data().get("body").asText()).containsExactly("live");
            assertThat(resumed.take(2)).extracting(e -> e.data().get("body").asText()).containsExactly("history", "live");
            assertThat(now.lastEventId()).isEqualTo(old.lastEventId());
        }
    }

    @Test
    void aRelayRestartOnTheSameDatabaseLosesNothingAndRepeatsNothing() throws Exception {
        int port = relay.server().port();
        CountDownLatch relayBackWithNewMessages = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onDisconnected(Throwable cause, Duration retryIn) {
                super.onDisconnected(cause, retryIn);
                try {
                    // Hold the reconnect until the test has written messages the old connection never saw.
                    relayBackWithNewMessages.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<Long> sent = new ArrayList<>();
        try (LiveStream stream = client.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.MESSAGE_NEW),
                FAST, recorder)) {
            assertThat(recorder.awaitConnect()).isNotNull();
            sent.add(client.messages().send("bob", "alice", "before restart").message().id());
            assertThat(recorder.take(1)).hasSize(1);

            relay.close();
            assertThat(recorder.awaitDisconnect()).isNotNull();
            relay = TestRelay.restart(relay.database(), relay.clock(), Map.of("PORT", Integer.toString(port)));
            for (int i = 0; i < 3; i++) {
                sent.add(client.messages().send("bob", "tag:review", "while away " + i).message().id());
            }
            relayBackWithNewMessages.countDown();

            Long resumedAfter = recorder.awaitConnect();
            sent.add(client.messages().send("bob", "alice", "after reconnect").message().id());
            List<RelayEvent> rest = recorder.take(4);

            assertThat(resumedAfter).isNotNull();
            assertThat(rest).extracting(e -> e.data().get("id").asLong()).containsExactlyElementsOf(sent.subList(1, 5));
            assertThat(rest).extracting(RelayEvent::id).isSorted().doesNotHaveDuplicates().allMatch(id -> id > resumedAfter);
            assertThat(stream.lastEventId()).isEqualTo(rest.get(3).id());
            // No duplicate trails in: a sentinel sent last must be the next event.
            client.messages().send("bob", "alice", "sentinel");
            assertThat(recorder.take(1)).extracting(e -> e.data().get("body").asText()).containsExactly("sentinel");
        }
    }

    @Test
    void aRefusedStreamGivesUpAndSaysWhy() throws Exception {
        try (TestRelay guarded = TestRelay.start(dir.resolve("guarded"), Map.of("AGENT_RELAY_TOKEN", "s3cret"));
             RelayClient wrong = RelayClient.connect(guarded.url(), "nope")) {
            assertThatThrownBy(() -> wrong.events().subscribe(EventFilter.ALL, FAST, new Recorder()))
                    .isInstanceOf(RelayException.Unauthorized.class);

            Recorder recorder = new Recorder();
            LiveStream stream = wrong.events().subscribe(EventFilter.ALL, FAST.withResumeAfter(0), recorder);

            assertThat(recorder.awaitDisconnect()).isInstanceOf(RelayException.Unauthorized.class);
            assertThat(recorder.lastRetryIn).isNull();
            assertThat(stream.failure()).isInstanceOf(RelayException.Unauthorized.class);
            assertThat(stream.closed()).isTrue();
        }
    }

    @Test
    void aStreamStartedWhileTheRelayIsDownConnectsWhenItComesUp() throws Exception {
        int port = relay.server().port();
        relay.close();
        try (RelayClient early = RelayClient.connect("http://127.0.0.1:" + port, null)) {
            Recorder recorder = new Recorder();
            try (LiveStream stream = early.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.MESSAGE_NEW),
                    FAST, recorder)) {
                assertThat(recorder.awaitDisconnect()).isInstanceOf(RelayException.Unavailable.class);
                assertThat(stream.lastEventId()).isEqualTo(-1);

                relay = TestRelay.restart(relay.database(), relay.clock(), Map.of("PORT", Integer.toString(port)));
                assertThat(recorder.awaitConnect()).isNotNull();
                early.messages().send("bob", "alice", "hello");

                assertThat(recorder.take(1)).extracting(e -> e.data().get("body").asText()).containsExactly("hello");
            }
        }
    }

    @Test
    void aSilentConnectionIsReplacedAfterTheIdleTimeout() throws Exception {
        // A stand-in relay that answers the stream's headers and then says nothing at all.
        AtomicInteger streams = new AtomicInteger();
        CountDownLatch secondConnection = new CountDownLatch(2);
        List<String> lastEventIds = new java.util.concurrent.CopyOnWriteArrayList<>();
        ServerSocket server = new ServerSocket(0);
        try {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                List<Socket> open = new ArrayList<>();
                try {
                    while (true) {
                        Socket socket = server.accept();
                        open.add(socket);
                        String request = readHead(socket.getInputStream());
                        request.lines().filter(l -> l.regionMatches(true, 0, "Last-Event-ID:", 0, 14))
                                .forEach(l -> lastEventIds.add(l.substring(14).trim()));
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        streams.incrementAndGet();
                        secondConnection.countDown();
                    }
                } catch (IOException closed) {
                    open.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // test cleanup
                        }
                    });
                }
            });
            try (RelayClient silent = RelayClient.connect("http://127.0.0.1:" + server.getLocalPort(), null);
                 LiveStream stream = silent.events().subscribe(EventFilter.ALL,
                         FAST.withResumeAfter(7).withIdleTimeout(Duration.ofMillis(200)), new Recorder())) {
                assertThat(secondConnection.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(lastEventIds).startsWith("7", "7");
                assertThat(stream.closed()).isFalse();
            }
            server.close();
            acceptor.join(5000);
        } finally {
            server.close();
        }
    }

    @Test
    void closingStopsDelivery() throws Exception {
        Recorder recorder = new Recorder();
        LiveStream stream = client.events().subscribe(EventFilter.forAgent("alice"), FAST, recorder);
        assertThat(recorder.awaitConnect()).isNotNull();

        stream.close();
        // A stream still open on the same events is the sentinel: once it has the message, the
        // closed one would have had it too.
        Recorder open = new Recorder();
        try (LiveStream witness = client.events().subscribe(EventFilter.forAgent("alice"), FAST, open)) {
            assertThat(open.awaitConnect()).isNotNull();
            client.messages().send("bob", "alice", "too late");
            assertThat(open.take(1)).extracting(e -> e.data().get("body").asText()).containsExactly("too late");
            assertThat(witness.closed()).isFalse();
        }

        assertThat(recorder.events).isEmpty();
        assertThat(stream.closed()).isTrue();
        assertThat(stream.failure()).isNull();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
