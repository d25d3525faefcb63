package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and idle clients cannot hold the relay's connections or memory: requests whose headers or
 * body stall are closed, connections beyond the caps are refused, bodies beyond the shared budget
 * get 503 — and established streams are untouched. Timeouts are configured short; the tests wait
 * for the closes themselves, never for a time.
 */
class EdgeDeadlinesTest {
    /** Bounds every read, so that a broken relay fails the test instead of hanging it. */
    private static final int READ_BOUND_MS = 30_000;

    @TempDir
    Path dir;
    TestRelay relay;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private void start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("AGENT_RELAY_HEADER_TIMEOUT_MS", "60000",
                "AGENT_RELAY_BODY_TIMEOUT_MS", "60000"));
        env.putAll(settings);
        relay = TestRelay.start(dir, env);
    }

    private Socket connect(String from) throws IOException {
        URI url = URI.create(relay.url());
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
        socket.setSoTimeout(READ_BOUND_MS);
        sockets.add(socket);
        return socket;
    }

    private Socket connect() throws IOException {
        return connect("127.0.0.1");
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Everything the relay sends until it closes the connection (a reset counts as a close). */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed by the relay with data unread: a close all the same
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads up to and including the first blank line (a response's or an interim response's head). */
    private static String readHead(Socket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws IOException {
        start(Map.of("AGENT_RELAY_HEADER_TIMEOUT_MS", "300"));
        Socket idle = connect();

        assertThat(readUntilClosed(idle)).isEmpty();
    }

    @Test
    void aRequestWhoseHeadersNeverCompleteIsClosed() throws IOException {
        start(Map.of("AGENT_RELAY_HEADER_TIMEOUT_MS", "300"));
        Socket slow = connect();
        send(slow, "GET /api/health HTTP/1.1\r\nHost: relay\r\nX-Slow: 1\r\n");

        assertThat(readUntilClosed(slow)).isEmpty();
        assertThat(relay.http().get("/api/stats").json().get("timedOutConnections").asLong()).isEqualTo(1);
    }

    @Test
    void aKeptAliveConnectionWhoseNextRequestDoesNotComeIsClosed() throws IOException {
        start(Map.of("AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS", "300"));
        Socket client = connect();
        send(client, "GET /api/health HTTP/1.1\r\nHost: relay\r\n\r\n");

        String answered = readUntilClosed(client);

        assertThat(answered).startsWith("HTTP/1.1 200").contains("\"ok\":true");
    }

    @Test
    void aRefusedWebSocketUpgradeDoesNotKeepItsConnection() throws IOException {
        start(Map.of("AGENT_RELAY_TOKEN", "s3cret", "AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS", "300"));
        Socket client = connect();
        send(client, "GET /ws HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

        assertThat(readUntilClosed(client)).startsWith("HTTP/1.1 401");
    }

    @Test
    void aBodyThatStallsIsAnswered408AndNothingIsWritten() throws IOException {
        start(Map.of("AGENT_RELAY_BODY_TIMEOUT_MS", "300"));
        long lastEventId = relay.http().get("/api/events").json().get("lastEventId").asLong();
        Socket slow = connect();
        send(slow, "POST /api/agents HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"id\":\"slow\",");

        String answer = readUntilClosed(slow);

        assertThat(answer).startsWith("HTTP/1.1 408").contains("AGENT_RELAY_BODY_TIMEOUT_MS");
        assertThat(relay.http().get("/api/events").json().get("lastEventId").asLong()).isEqualTo(lastEventId);
    }

    @Test
    void connectionsBeyondTheCapsAreClosedAtOnce() throws IOException {
        start(Map.of("AGENT_RELAY_MAX_CONNECTIONS", "3", "AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "2"));
        Socket first = connect("127.0.0.1");
        Socket second = connect("127.0.0.1");
        // Both are admitted: each gets an answer.
        for (Socket admitted : List.of(first, second)) {
            send(admitted, "GET /api/health HTTP/1.1\r\nHost: relay\r\n\r\n");
            assertThat(readHead(admitted)).startsWith("HTTP/1.1 200");
        }

        Socket thirdFromTheSameAddress = connect("127.0.0.1");
        assertThat(readUntilClosed(thirdFromTheSameAddress)).isEmpty();

        Socket otherAddress = connect("127.0.0.2");
        send(otherAddress, "GET /api/health HTTP/1.1\r\nHost: relay\r\n\r\n");
        assertThat(readHead(otherAddress)).startsWith("HTTP/1.1 200");
        Socket overTheTotal = connect("127.0.0.2");
        assertThat(readUntilClosed(overTheTotal)).isEmpty();
    }

    @Test
    void bodiesBeyondThePendingBudgetAre503() throws IOException {
        start(Map.of("MAX_BODY_BYTES", "1024", "AGENT_RELAY_MAX_PENDING_BODY_BYTES", "2048"));
        for (int i = 0; i < 2; i++) {
            Socket stalled = connect();
            send(stalled, "POST /api/agents HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 1024\r\n\r\n");
            // The interim answer comes after the edge reserved the body's 1024 bytes.
            assertThat(readHead(stalled)).startsWith("HTTP/1.1 100");
            send(stalled, "{\"id\":");
        }

        Socket refused = connect();
        send(refused, "POST /api/agents HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                + "Content-Length: 25\r\n\r\n{\"id\":\"x\",\"name\":\"late\"}");
        String answer = readUntilClosed(refused);

        assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After").contains("AGENT_RELAY_MAX_PENDING_BODY_BYTES");
        // A request without a body needs no budget.
        assertThat(relay.http().get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void establishedStreamsOutliveTheDeadlines() throws Exception {
        start(Map.of("AGENT_RELAY_HEADER_TIMEOUT_MS", "200", "AGENT_RELAY_BODY_TIMEOUT_MS", "200",
                "AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS", "200"));
        relay.register("alice");
        try (SseClient sse = SseClient.open(relay.url(), "/api/events/stream?types=message.new", Map.of());
             WsClient ws = WsClient.connect(relay.url(), "", Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            ws.hello(null, Map.of("types", List.of("message.new")));
            // An idle connection opened after the streams is closed by the header deadline: by then
            // the streams have been idle longer than any deadline.
            assertThat(readUntilClosed(connect())).isEmpty();

            // A new client: the registration's kept-alive connection has been closed meanwhile.
            assertThat(new Http(relay.url()).post("/api/messages",
                    Map.of("from", "alice", "to", "alice", "body", "still there?")).status()).isEqualTo(201);

            SseClient.Frame frame = sse.nextEvent(Duration.ofSeconds(20));
            assertThat(frame).isNotNull().isNotEqualTo(SseClient.END);
            assertThat(frame.data().toString()).contains("still there?");
            JsonNode event = ws.next(Duration.ofSeconds(20));
            assertThat(event.toString()).contains("still there?");
        }
    }

    @Test
    void aClientThatDisconnectsMidBodyIsCountedNotLoggedAsAnError() throws Exception {
        start(Map.of());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        long aborted;
        try {
            Socket gone = connect();
            send(gone, "POST /api/agents HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"id\":");
            gone.close();
            aborted = awaitStat("abortedRequests", 1);
        } finally {
            System.setErr(original);
        }

        assertThat(aborted).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR");
    }

    /** Reads /api/stats until {@code field} reaches {@code expected} (the close is seen asynchronously). */
    private long awaitStat(String field, long expected) throws InterruptedException {
        Http http = relay.http();
        long value = -1;
        for (int i = 0; i < 400 && value < expected; i++) {
            value = http.get("/api/stats").json().get(field).asLong();
            if (value < expected) {
                Thread.sleep(25);
            }
        }
        return value;
    }
}
