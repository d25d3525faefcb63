package io.agentrelay.server.events;

import java.nio.charset.StandardCharsets;

/**
 * A committed event on its way to live subscribers, carrying its wire encodings so that each is
 * built once per event, not once per subscriber. The lazy fields may be computed twice under a
 * race, which is harmless: the result is the same.
 */
public final class Published {
    private final Event event;
    private volatile byte[] sse;
    private volatile String ws;

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
     * {@code {"type":"event","event_id","ts","name","scope":{...},"data":{...}}}.
     */
    public String ws() {
        String frame = ws;
        if (frame == null) {
            frame = "{\"type\":\"event\",\"event_id\":" + event.id() + ",\"ts\":" + event.ts()
                    + ",\"name\":\"" + event.type().wire() + "\",\"scope\":" + scopeJson()
                    + ",\"data\":" + event.data() + "}";
            ws = frame;
        }
        return frame;
    }

    private String scopeJson() {
        try {
            return io.agentrelay.api.Json.mapper().writeValueAsString(event.scope());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " scope cannot be rendered", e);
        }
    }
}
