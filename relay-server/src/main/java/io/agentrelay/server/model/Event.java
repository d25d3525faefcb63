package io.agentrelay.server.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.agentrelay.api.Json;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One committed entry of the event log. {@code data} is the JSON text exactly as stored, so an
 * event is serialized once however many subscribers receive it. {@code source} and {@code subject}
 * are the TypeScript server's envelope fields: who caused the event ({@code "server"} unless an
 * agent did) and what it is about (a message, agent or task id), for consumers keyed on them.
 */
public record Event(long id, EventType type, long ts, String source, String subject, Scope scope,
                    @JsonRawValue String data) {

    /** The server itself, as a {@code source}. */
    public static final String SERVER = "server";

    /** Who caused an event and what it concerns, given when it is appended. */
    public record Origin(String source, String subject) {
        public Origin {
            if (source == null || source.isEmpty()) {
                throw new IllegalArgumentException("an event's source is required");
            }
        }

        /** Caused by the server itself (timers, integrations, administration), about {@code subject}. */
        public static Origin server(Object subject) {
            return new Origin(SERVER, subject == null ? null : subject.toString());
        }

        /** Caused by {@code source} (an agent id), about {@code subject}. */
        public static Origin of(String source, Object subject) {
            return new Origin(source == null || source.isEmpty() ? SERVER : source,
                    subject == null ? null : subject.toString());
        }
    }

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
