package io.agentrelay.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of the relay's event log. {@code id} is monotonic; a client resumes a stream from the
 * last id it saw. {@code scope} says what the event concerns, for filtering.
 */
public record RelayEvent(long id, String type, long ts, Scope scope, JsonNode data) {

    /** What an event concerns: a message target, an agent, a channel. Absent parts are null. */
    public record Scope(String target, String agentId, String channel) {
    }
}
