package io.agentrelay.server.http;

import io.agentrelay.api.Json;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.Published;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.events.Subscription;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Close codes: 1003 for a bad first frame or any data frame after the handshake, 1009 for a
 * frame over the size limit (enforced by the server options), 1008 when the client's outbound
 * queue overflows, 1001 on shutdown, 1011 on an internal error. Confined to its event loop.
 */
final class WsStream implements Subscription.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(WsStream.class);
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(30);

    static final short INVALID = 1003;
    static final short POLICY = 1008;
    static final short TOO_BIG = 1009;
    static final short GOING_AWAY = 1001;
    static final short INTERNAL = 1011;

    private final Vertx vertx;
    private final ServerWebSocket socket;
    private final Store store;
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

    private WsStream(Vertx vertx, ServerWebSocket socket, String remote, Store store, LiveStreams open,
                     String instanceId, Duration heartbeat) {
        this.vertx = vertx;
        this.socket = socket;
        this.remote = remote;
        this.store = store;
        this.open = open;
        this.instanceId = instanceId;
        this.heartbeat = heartbeat;
    }

    /** Takes over an accepted WebSocket on the current event loop and waits for its hello. */
    static void accept(Vertx vertx, ServerWebSocket socket, String remote, Store store, LiveStreams open,
                       String instanceId, int queueBytes, Duration heartbeat) {
        WsStream stream = new WsStream(vertx, socket, remote, store, open, instanceId, heartbeat);
        socket.setWriteQueueMaxSize(queueBytes);
        socket.frameHandler(stream::onFrame);
        socket.closeHandler(v -> stream.closed());
        socket.exceptionHandler(error -> LOG.debug("websocket error", error));
        stream.timer = vertx.setTimer(HELLO_TIMEOUT.toMillis(), id -> {
            if (!stream.greeted) {
                stream.refuse(POLICY, "no hello within " + HELLO_TIMEOUT.toSeconds() + " s");
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
            refuse(INVALID, "binary frames are not supported");
            return;
        }
        Buffer data = frame.binaryData();
        if (message.length() + data.length() > WebSocketRoutes.MAX_FRAME_BYTES) {
            refuse(TOO_BIG, "message over " + WebSocketRoutes.MAX_FRAME_BYTES + " bytes");
            return;
        }
        message.appendBuffer(data);
        if (frame.isFinal()) {
            String text = message.toString(StandardCharsets.UTF_8);
            message = Buffer.buffer();
            onText(text);
        }
    }

    private void onText(String text) {
        if (closing) {
            return;
        }
        if (greeted) {
            refuse(INVALID, "no frames are accepted after the handshake");
            return;
        }
        WsHello hello;
        try {
            hello = WsHello.parse(text);
        } catch (WsHello.Invalid e) {
            refuse(INVALID, e.getMessage());
            return;
        }
        greeted = true;
        vertx.cancelTimer(timer);
        long after = hello.afterEventId() != null ? hello.afterEventId() : store.lastEventId();
        if (hello.agents().isEmpty()) {
            subscribe(hello, after, null);
            return;
        }
        io.vertx.core.Future.fromCompletionStage(store.read(reads -> {
            List<Audience> audiences = new ArrayList<>();
            for (String agentId : hello.agents()) {
                audiences.add(MessageService.audience(reads, agentId));
            }
            return audiences;
        }), vertx.getOrCreateContext()).onComplete(result -> {
            if (result.failed()) {
                LOG.warn("cannot resolve websocket subscriptions", result.cause());
                refuse(INTERNAL, "internal error");
            } else {
                subscribe(hello, after, result.result());
            }
        });
    }

    private void subscribe(WsHello hello, long after, List<Audience> audiences) {
        if (closing) {
            return;
        }
        StreamFilter filter;
        if (hello.everything()) {
            filter = new StreamFilter(Set.of(), Set.of(), null);
        } else if (hello.nothing()) {
            filter = StreamFilter.NOTHING;
        } else if (hello.topics().isEmpty()) {
            filter = new StreamFilter(hello.types(), hello.channels(), audiences);
        } else {
            // Channel OR topic: the filter (replay query and live test alike) keeps types and
            // agents; the place is checked here, on every event it lets through.
            filter = new StreamFilter(hello.types(), Set.of(), audiences);
            Set<String> channels = hello.channels();
            Set<String> topics = hello.topics();
            place = event -> {
                String channel = event.event().scope().channel();
                return (channel != null && channels.contains(channel)) || event.topics().matches(topics);
            };
        }
        EventBus.Lane lane = open.laneHere(vertx);
        subscription = new Subscription(store, open.head(), lane, this, after, filter, 500, 10_000);
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("agents", hello.everything() ? null : List.copyOf(hello.agents()));
        asked.put("channels", hello.everything() ? null : List.copyOf(hello.channels()));
        asked.put("types", hello.everything() ? null
                : hello.types().stream().map(io.agentrelay.server.model.EventType::wire).toList());
        open.add(subscription, lane, new LiveStreams.Opened("websocket", remote, asked));
        timer = vertx.setPeriodic(heartbeat.toMillis(), id -> {
            if (!socket.writeQueueFull()) {
                socket.writePing(Buffer.buffer());
            }
        });
        subscription.start();
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
    public void close(String reason) {
        switch (reason) {
            case Subscription.SLOW_CONSUMER -> refuse(POLICY, "backpressure");
            case "shutdown" -> refuse(GOING_AWAY, "shutdown");
            default -> refuse(INTERNAL, reason);
        }
    }

    /** Closes with a code and a short reason (a close reason is at most 123 bytes). */
    private void refuse(short code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelTimer();
        if (subscription != null) {
            subscription.detach();
            open.ended(subscription, reason);
        }
        String text = reason.length() > 120 ? reason.substring(0, 120) : reason;
        socket.close(code, text);
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
