package io.agentrelay.cli.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Live stream clients in the benchmark's JVM: each hands every received frame's text to a callback
 * on its event loop, and reports when it is live (SSE: the {@code : connected} comment; WebSocket:
 * {@code hello_ok}).
 */
final class Listeners implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClientAgent http;
    private final WebSocketClient ws;
    private final Endpoint.Address relay;

    Listeners(Vertx vertx, Endpoint relay, int maxStreams) {
        this.vertx = vertx;
        this.relay = relay.address();
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setIdleTimeout(0)
                        .setSsl(relay.ssl()),
                new PoolOptions().setHttp1MaxSize(maxStreams + 1));
        this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxStreams + 1)
                .setIdleTimeout(0).setSsl(relay.ssl()));
    }

    /** Opens an SSE stream; {@code onFrame} gets each frame's text; completes once live. */
    Future<Void> sse(String query, Consumer<String> onFrame) {
        RequestOptions options = relay.to(new RequestOptions().setMethod(HttpMethod.GET), "/api/events/stream" + query)
                .setIdleTimeout(0);
        return onEventLoop(() -> http.request(options).compose(request -> request.send()).compose(response -> {
            if (response.statusCode() != 200) {
                return Future.failedFuture("SSE stream answered HTTP " + response.statusCode());
            }
            io.vertx.core.Promise<Void> live = io.vertx.core.Promise.promise();
            // A stream that ends or fails before it is live says so, instead of leaving its opener waiting.
            response.exceptionHandler(live::tryFail);
            response.endHandler(v -> live.tryFail("SSE stream ended before it was live"));
            StringBuilder pending = new StringBuilder();
            response.handler(chunk -> {
                pending.append(chunk.toString(StandardCharsets.UTF_8));
                int end;
                while ((end = pending.indexOf("\n\n")) >= 0) {
                    String frame = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    if (frame.startsWith(": connected")) {
                        live.tryComplete();
                    } else if (!frame.startsWith(":")) {
                        onFrame.accept(frame);
                    }
                }
            });
            return live.future();
        }));
    }

    /** Opens a WebSocket and says hello with {@code helloJson}; completes on hello_ok. */
    Future<WebSocket> webSocket(String helloJson, Consumer<String> onFrame) {
        WebSocketConnectOptions options = relay.to(new WebSocketConnectOptions(), "/ws");
        return onEventLoop(() -> ws.connect(options).compose(socket -> {
            io.vertx.core.Promise<WebSocket> live = io.vertx.core.Promise.promise();
            socket.exceptionHandler(live::tryFail);
            socket.closeHandler(v -> live.tryFail("WebSocket closed before hello_ok (" + socket.closeStatusCode() + " "
                    + socket.closeReason() + ")"));
            socket.textMessageHandler(text -> {
                if (text.startsWith("{\"type\":\"hello_ok\"")) {
                    live.tryComplete(socket);
                } else {
                    onFrame.accept(text);
                }
            });
            socket.writeTextMessage(helloJson);
            return live.future();
        }));
    }

    /**
     * Builds {@code open}'s chain of steps in a task on an event loop, so that every step's callback
     * is attached before that loop can read anything. Built from the bench's main thread, a step
     * attached after the one before it had completed was only queued on the loop: if the main thread
     * was preempted in between, the loop could read the SSE response's head and its {@code : connected}
     * chunk before the handler was set, and Vert.x drops response data that finds no handler. That
     * stream never became live (docs/performance.md, "Fifth session": the idle-stream stall).
     */
    private <T> Future<T> onEventLoop(java.util.function.Supplier<Future<T>> open) {
        io.vertx.core.Promise<T> opened = io.vertx.core.Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> {
            try {
                open.get().onComplete(opened);
            } catch (RuntimeException e) {
                opened.tryFail(e); // say so now rather than leave the opener waiting out its timeout
            }
        });
        return opened.future();
    }

    static Buffer json(String text) {
        return Buffer.buffer(text);
    }

    @Override
    public void close() {
        http.close();
        ws.close();
    }
}
