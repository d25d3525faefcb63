package io.agentrelay.server.http;

import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.events.Subscription;
import io.agentrelay.server.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One SSE connection: a {@link Subscription} whose sink writes {@code id:/event:/data:} frames. The
 * response's write queue is the bounded per-connection queue: when it is full the stream is cut
 * (the client reconnects with {@code Last-Event-ID} and loses nothing). A comment line every
 * heartbeat interval keeps idle connections open through proxies.
 */
final class SseStream implements Subscription.Sink {
    private static final Buffer HEARTBEAT = Buffer.buffer(": keep-alive\n\n");
    static final String CURSOR_AHEAD = "stream.cursor_ahead";

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final LiveStreams open;
    private Subscription subscription;
    private long heartbeatTimer = -1;

    private SseStream(Vertx vertx, HttpServerResponse response, LiveStreams open) {
        this.vertx = vertx;
        this.response = response;
        this.open = open;
    }

    /** Starts a stream on the current event loop. */
    static void open(Vertx vertx, HttpServerResponse response, LiveStreams open, LiveStreams.Opened opened,
                     Store store, long after, StreamFilter filter, int queueBytes, Duration heartbeat) {
        SseStream stream = new SseStream(vertx, response, open);
        EventBus.Lane lane = open.laneHere(vertx);
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize(queueBytes);
        stream.subscription = new Subscription(store, open.head(), lane, stream, after, filter,
                500, 10_000);
        response.closeHandler(v -> stream.closed());
        response.exceptionHandler(e -> stream.closed());
        stream.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
            if (!response.writeQueueFull()) {
                response.write(HEARTBEAT);
            }
        });
        // Counted as open before the client can see it is.
        open.add(stream.subscription, lane, opened);
        response.write(Buffer.buffer(": connected\n\n"));
        stream.subscription.start();
    }

    /**
     * A resume point beyond the log's end (a client of a store that was reset or restored, or a
     * made-up {@code Last-Event-ID}) would otherwise get nothing, silently, until the log passed it:
     * say so once, with where the log ends. No {@code id:} line, so the client's cursor is its own
     * to move (docs/streams.md says how).
     */
    @Override
    public void started(long replayFrom, long replayUntil) {
        if (replayFrom > replayUntil) {
            response.write(Buffer.buffer("event: " + CURSOR_AHEAD + "\ndata: {\"type\":\"" + CURSOR_AHEAD
                    + "\",\"after\":" + replayFrom + ",\"lastEventId\":" + replayUntil + "}\n\n"));
        }
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
    public void close(StreamEnd end) {
        cancelHeartbeat();
        open.ended(subscription, end);
        if (end == StreamEnd.SLOW_CONSUMER) {
            // The queue is full, so a polite end would wait behind it: drop the connection now.
            response.reset();
            return;
        }
        if (!response.ended() && !response.closed()) {
            response.end(Buffer.buffer(": closed " + end.reason() + "\n\n", StandardCharsets.UTF_8.name()));
        }
    }

    private void closed() {
        cancelHeartbeat();
        open.remove(subscription);
        subscription.detach();
    }

    private void cancelHeartbeat() {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
    }
}
