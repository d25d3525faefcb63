package io.agentrelay.server.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.agentrelay.api.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One committed entry of the event log. {@code data} is the JSON text exactly as stored, so an
 * event is serialized once however many subscribers receive it.
 */
public record Event(long id, EventType type, long ts, Scope scope, @JsonRawValue String data) {

    /** What an event concerns, for filtering: a message target, an agent, a channel. */
    public record Scope(String target, String agentId, String channel) {
        public static final Scope NONE = new Scope(null, null, null);

        public static Scope agent(String agentId) {
            return new Scope(null, agentId, null);
        }
    }

    /** The event as one JSON object, the shape of {@code /api/events} entries and SSE data lines. */
    @JsonIgnore
    public String json() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + id + " cannot be rendered", e);
        }
    }
}
