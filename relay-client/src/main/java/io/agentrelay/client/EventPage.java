package io.agentrelay.client;

import io.agentrelay.api.RelayEvent;
import java.util.List;

/**
 * One page of the event log.
 *
 * @param events oldest first
 * @param lastEventId the relay's newest event id when the page was read
 */
public record EventPage(List<RelayEvent> events, long lastEventId) {
    public EventPage {
        events = List.copyOf(events);
    }
}
