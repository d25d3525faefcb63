package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A committed event on its way to live subscribers, carrying its wire encodings so that each is
 * built once per event, not once per subscriber. The lazy fields may be computed twice under a
 * race, which is harmless: the result is the same.
 */
public final class Published {
    private final Event event;
    private volatile byte[] sse;
    private volatile String ws;
    private volatile Topics topics;

    public Published(Event event) {
        this.event = event;
    }

    public Event event() {
        return event;
    }

    public long id() {
        return event.id();
    }

    /** The SSE frame: {@code id:}, {@code event:} and the JSON envelope on one {@code data:} line. */
    public byte[] sse() {
        byte[] frame = sse;
        if (frame == null) {
            frame = ("id: " + event.id() + "\nevent: " + event.type().wire() + "\ndata: " + event.json() + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            sse = frame;
        }
        return frame;
    }

    /**
     * The WebSocket frame of the agentlip protocol:
     * {@code {"type":"event","event_id","ts","ts_ms","name","source","subject","scope":{...},"data":{...}}}.
     * {@code ts} is ISO-8601 (UTC), as agentlip clients parse it; {@code ts_ms} keeps the epoch milliseconds.
     * {@code scope} has agentlip's {@code channel_id} (the relay's channel), {@code topic_id} and
     * {@code topic_id2} ({@link Topics}), then the relay's own {@code target}, {@code agentId} and
     * {@code channel}.
     */
    public String ws() {
        String frame = ws;
        if (frame == null) {
            Event.Scope scope = event.scope();
            Topics topic = topics();
            frame = "{\"type\":\"event\",\"event_id\":" + event.id()
                    + ",\"ts\":\"" + Instant.ofEpochMilli(event.ts()) + "\",\"ts_ms\":" + event.ts()
                    + ",\"name\":\"" + event.type().wire() + "\",\"source\":" + json(event.source())
                    + ",\"subject\":" + json(event.subject()) + ",\"scope\":{\"channel_id\":" + json(scope.channel())
                    + ",\"topic_id\":" + json(topic.topicId()) + ",\"topic_id2\":" + json(topic.topicId2())
                    + ",\"target\":" + json(scope.target()) + ",\"agentId\":" + json(scope.agentId())
                    + ",\"channel\":" + json(scope.channel()) + "},\"data\":" + event.data() + "}";
            ws = frame;
        }
        return frame;
    }

    /** The agentlip topics of this event, read from its data once. */
    public Topics topics() {
        Topics value = topics;
        if (value == null) {
            value = Topics.of(event);
            topics = value;
        }
        return value;
    }

    private String json(String value) {
        if (value == null) {
            return "null";
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " scope cannot be rendered", e);
        }
    }
}
