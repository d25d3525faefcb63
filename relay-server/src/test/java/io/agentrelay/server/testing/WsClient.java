package io.agentrelay.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) for the relay's {@code /ws}. Received text frames are parsed
 * into a queue the test awaits; the close code and reason complete {@link #closed()}. With
 * {@code autoRead} false the client stops asking for frames after the first, like a stalled reader,
 * until {@link #resume()}.
 */
public final class WsClient implements AutoCloseable {
    /** How the server closed the connection. */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final boolean autoRead;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private WsClient(boolean autoRead) {
        this.autoRead = autoRead;
    }

    public static WsClient connect(String httpBase, String query, Map<String, String> headers) {
        return connect(httpBase, query, headers, true);
    }

    public static WsClient connect(String httpBase, String query, Map<String, String> headers, boolean autoRead) {
        WsClient client = new WsClient(autoRead);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        URI uri = URI.create(httpBase.replaceFirst("^http", "ws") + "/ws" + (query == null ? "" : query));
        client.socket = builder.buildAsync(uri, client.listener()).join();
        return client;
    }

    /** Sends {@code frame} (a String as is, anything else as JSON) as one text frame. */
    public WsClient send(Object frame) {
        String text = frame instanceof String s ? s : Http.json(frame);
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends raw text as one frame without waiting for the send to complete (the server may cut it). */
    public void socketSend(String text) {
        socket.sendText(text, true);
    }

    /** Sends a hello; {@code subscriptions} null omits the field. */
    public JsonNode hello(Long afterEventId, Object subscriptions) throws InterruptedException {
        java.util.Map<String, Object> hello = new java.util.LinkedHashMap<>();
        hello.put("type", "hello");
        if (afterEventId != null) {
            hello.put("after_event_id", afterEventId);
        }
        if (subscriptions != null) {
            hello.put("subscriptions", subscriptions);
        }
        send(hello);
        JsonNode ok = next(Duration.ofSeconds(10));
        if (ok == null || !"hello_ok".equals(ok.path("type").asText())) {
            throw new AssertionError("expected hello_ok, got " + ok + " / close " + closed.getNow(null));
        }
        return ok;
    }

    public JsonNode next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Collects event frames until {@code count} arrived or {@code timeout} passed. */
    public List<JsonNode> events(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < count) {
            JsonNode frame = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                break;
            }
            out.add(frame);
        }
        return out;
    }

    public CompletableFuture<Close> closed() {
        return closed;
    }

    /** Starts reading again after a stall; reads everything that is left. */
    public void resume() {
        socket.request(Long.MAX_VALUE);
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(parse(partial.toString()));
                    partial.setLength(0);
                }
                if (autoRead) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(new Close(statusCode, reason));
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("frame is not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
    }
}
