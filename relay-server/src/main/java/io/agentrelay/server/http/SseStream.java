package io.agentrelay.server.http;

import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.EventType;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.events.Subscription;
import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SSE connection: a {@link Subscription} whose sink writes {@code id:/event:/data:} frames. The
 * response's write queue is the bounded per-connection queue: when it is full the stream is cut
 * (the client reconnects with {@code Last-Event-ID} and loses nothing). A comment line every
 * heartbeat interval keeps idle connections open through proxies.
 */
final class SseStream implements Subscription.Sink {
    private static final Buffer HEARTBEAT = Buffer.buffer(": keep-alive\n\n");

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final Streams open;
    private EventBus.Lane lane;
    private Subscription subscription;
    private long heartbeatTimer = -1;

    private SseStream(Vertx vertx, HttpServerResponse response, Streams open) {
        this.vertx = vertx;
        this.response = response;
        this.open = open;
    }

    /** The open streams of one edge, so shutdown can end each with a reason before the store closes. */
    static final class Streams {
        private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

        /** Ends every open stream on its own event loop; completes when all have been ended. */
        CompletableFuture<Void> closeAll(String reason) {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (SseStream stream : streams) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                stream.lane.executor().execute(() -> {
                    stream.subscription.stop(reason);
                    done.complete(null);
                });
                closing.add(done);
            }
            return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
        }

        int size() {
            return streams.size();
        }
    }

    /** Starts a stream on the current event loop. */
    static void open(Vertx vertx, HttpServerResponse response, Streams open, Store store, EventBus bus, long after,
                     StreamFilter filter, Set<EventType> types, int queueBytes, Duration heartbeat) {
        Context context = vertx.getOrCreateContext();
        SseStream stream = new SseStream(vertx, response, open);
        // One lane per event-loop thread: a published batch costs one task per loop, not per stream.
        stream.lane = bus.lane(Thread.currentThread(), task -> context.runOnContext(v -> task.run()));
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(queueBytes);
        response.write(Buffer.buffer(": connected\n\n"));
        stream.subscription = new Subscription(store, stream.lane, stream, after, filter,
                (from, upTo, limit) -> new EventQuery(from, upTo, limit, types, filter.audience()), 500, 10_000);
        response.closeHandler(v -> stream.closed());
        response.exceptionHandler(e -> stream.closed());
        stream.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
            if (!response.writeQueueFull()) {
                response.write(HEARTBEAT);
            }
        });
        open.streams.add(stream);
        stream.subscription.start();
    }

    @Override
    public boolean write(Published event) {
        response.write(Buffer.buffer(event.sse()));
        return !response.writeQueueFull();
    }

    @Override
    public boolean writable() {
        return !response.writeQueueFull();
    }

    @Override
    public void whenWritable(Runnable then) {
        response.drainHandler(v -> {
            response.drainHandler(null);
            then.run();
        });
    }

    @Override
    public void close(String reason) {
        cancelHeartbeat();
        open.streams.remove(this);
        if (Subscription.SLOW_CONSUMER.equals(reason)) {
            // The queue is full, so a polite end would wait behind it: drop the connection now.
            response.reset();
            return;
        }
        if (!response.ended() && !response.closed()) {
            response.end(Buffer.buffer(": closed " + reason + "\n\n", StandardCharsets.UTF_8.name()));
        }
    }

    private void closed() {
        cancelHeartbeat();
        open.streams.remove(this);
        subscription.detach();
    }

    private void cancelHeartbeat() {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
    }
}
