package io.agentrelay.server.store;

import io.agentrelay.server.events.EventType;
import io.agentrelay.server.routing.Audience;
import java.util.Set;

/**
 * A page of the event log: ids above {@code after}, at most {@code limit}, optionally only some
 * types (empty = all) and only events that concern {@code audience} (null = all).
 */
public record EventQuery(long after, long upTo, int limit, Set<EventType> types, Audience audience) {
    public EventQuery {
        types = Set.copyOf(types);
    }

    public static EventQuery after(long after, int limit) {
        return new EventQuery(after, Long.MAX_VALUE, limit, Set.of(), null);
    }
}
