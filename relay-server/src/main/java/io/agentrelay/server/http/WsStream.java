package io.agentrelay.server.http;

import io.agentrelay.api.Json;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.EventService;
import io.agentrelay.server.events.OpenStream;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.events.Subscription;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection speaking the agentlip hub protocol: the client's {@code hello} names its
 * resume point and subscriptions; the relay answers {@code hello_ok}, replays everything that was
 * missed (paged from the log, each page sent once the previous one drained: agentlip's client does
 * not read {@code replay_from}, so a bounded replay would drop events silently), then streams live
 * events. It is a {@link Subscription}
 * like an SSE stream, with the same filter and the same replay-then-live rule.
 *
 * <p>Close codes and reasons come from {@link StreamEnd}, chosen for a failure by {@link Errors}:
 * 1003 for a bad first frame or any data frame after the handshake, 1009 for a message over the
 * size limit, 1008 when the client's outbound queue overflows or no hello came, 1001 on shutdown,
 * 1011 on an internal error. Confined to its event loop.
 */
final class WsStream implements Subscription.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(WsStream.class);
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final ServerWebSocket socket;
    private final Store store;
    private final EventService events;
    private final LiveStreams open;
    private final String remote;
    private final String instanceId;
    private final Duration heartbeat;
    private Subscription subscription;
    /** Channels OR topics, when topics are subscribed (the store's replay query knows no topics). */
    private Predicate<Published> place = event -> true;
    private Buffer message = Buffer.buffer();
    private boolean greeted;
    private boolean closing;
    private long timer = -1;

    private WsStream(Vertx vertx, ServerWebSocket socket, String remote, Store store, EventService events,
                     LiveStreams open, String instanceId, Duration heartbeat) {
        this.vertx = vertx;
        this.socket = socket;
        this.remote = remote;
        this.store = store;
        this.events = events;
        this.open = open;
        this.instanceId = instanceId;
        this.heartbeat = heartbeat;
    }

    /** Takes over an accepted WebSocket on the current event loop and waits for its hello. */
    static void accept(Vertx vertx, ServerWebSocket socket, String remote, Store store, EventService events,
                       LiveStreams open, String instanceId, int queueBytes, Duration heartbeat) {
        WsStream stream = new WsStream(vertx, socket, remote, store, events, open, instanceId, heartbeat);
        socket.setWriteQueueMaxSize(queueBytes);
        socket.frameHandler(stream::onFrame);
        socket.closeHandler(v -> stream.closed());
        socket.exceptionHandler(error -> LOG.debug("websocket error", error));
        stream.timer = vertx.setTimer(HELLO_TIMEOUT.toMillis(), id -> {
            if (!stream.greeted) {
                stream.fail(new RelayError.RequestTimeout("no hello within " + HELLO_TIMEOUT.toSeconds() + " s"));
            }
        });
    }

    /**
     * Reassembles text messages from their frames, counting bytes as they come so a message over
     * the limit is refused with 1009 however the client fragments it.
     */
    private void onFrame(WebSocketFrame frame) {
        if (closing || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return; // control frames: Vert.x answers pings and handles the close handshake
        }
        if (frame.isBinary()) {
            fail(new RelayError.InvalidInput(null, "binary frames are not supported"));
            return;
        }
        Buffer data = frame.binaryData();
        if (message.length() + data.length() > WebSocketRoutes.MAX_FRAME_BYTES) {
            fail(new RelayError.PayloadTooLarge("message over " + WebSocketRoutes.MAX_FRAME_BYTES + " bytes"));
            return;
        }
        message.appendBuffer(data);
        if (frame.isFinal()) {
            String text = message.toString(StandardCharsets.UTF_8);
            message = Buffer.buffer();
            onText(text);
        }
    }

    /** The hello: parse, ask the events service what the stream carries, then start it. */
    private void onText(String text) {
        if (closing) {
            return;
        }
        OpenStream command;
        try {
            if (greeted) {
                throw new RelayError.InvalidInput(null, "no frames are accepted after the handshake");
            }
            command = WsHello.parse(text).command();
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        greeted = true;
        vertx.cancelTimer(timer);
        io.vertx.core.Future.fromCompletionStage(events.open(command), vertx.getOrCreateContext())
                .onFailure(this::fail)
                .onSuccess(opening -> subscribe(command, opening));
    }

    private void subscribe(OpenStream command, EventService.Opening opening) {
        if (closing) {
            return;
        }
        place = opening.place();
        EventBus.Lane lane = open.laneHere(vertx);
        subscription = new Subscription(store, open.head(), lane, this, opening.after(), opening.filter(), 500, 10_000);
        open.add(subscription, lane, new LiveStreams.Opened("websocket", remote, described(command)));
        timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
            if (!socket.writeQueueFull()) {
                socket.writePing(Buffer.buffer());
            }
        });
        subscription.start();
    }

    /** The subscription as {@code GET /api/streams} shows it. */
    private static Map<String, Object> described(OpenStream command) {
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("agents", command.everything() ? null : command.agents());
        asked.put("channels", command.everything() ? null : List.copyOf(command.channels()));
        asked.put("types", command.everything() ? null : command.types().stream().map(EventType::wire).toList());
        return asked;
    }

    @Override
    public void started(long replayFrom, long replayUntil) {
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("type", "hello_ok");
        ok.put("replay_until", replayUntil);
        ok.put("instance_id", instanceId);
        ok.put("replay_from", replayFrom);
        // A resume point beyond the log's end gets nothing until the log passes it: say so.
        ok.put("cursor_ahead", replayFrom > replayUntil);
        try {
            socket.writeTextMessage(Json.mapper().writeValueAsString(ok));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean write(Published event) {
        if (!place.test(event)) {
            return !socket.writeQueueFull();
        }
        socket.writeTextMessage(event.ws());
        return !socket.writeQueueFull();
    }

    @Override
    public boolean writable() {
        return !socket.writeQueueFull();
    }

    @Override
    public void whenWritable(Runnable then) {
        socket.drainHandler(v -> {
            socket.drainHandler(null);
            then.run();
        });
    }

    @Override
    public void close(StreamEnd end) {
        close(end, end.reason());
    }

    /** Ends the connection with the close code and reason the error table gives {@code failure}. */
    private void fail(Throwable failure) {
        Errors.Close close = Errors.close(failure, "websocket from " + remote);
        close(close.end(), close.reason());
    }

    /** Closes with a code and a short reason (a close reason is at most 123 bytes). */
    private void close(StreamEnd end, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelTimer();
        if (subscription != null) {
            subscription.detach();
            open.ended(subscription, end);
        }
        String text = reason.length() > 120 ? reason.substring(0, 120) : reason;
        socket.close(end.closeCode(), text);
    }

    private void closed() {
        closing = true;
        cancelTimer();
        if (subscription != null) {
            subscription.detach();
            open.remove(subscription);
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
