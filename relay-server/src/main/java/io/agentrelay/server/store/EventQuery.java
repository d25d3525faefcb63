package io.agentrelay.server.store;

import io.agentrelay.server.model.EventType;
import io.agentrelay.server.model.Audience;
import java.util.List;
import java.util.Set;

/**
 * A page of the event log: ids in (after, upTo], at most {@code limit}, oldest first. Filters, all
 * combined with AND: {@code types} (empty = every type), {@code channels} (empty = every channel),
 * {@code audiences} (null = every event; otherwise events that concern at least one of them).
 */
public record EventQuery(long after, long upTo, int limit, Set<EventType> types, Set<String> channels,
                         List<Audience> audiences) {
    public EventQuery {
        types = Set.copyOf(types);
        channels = Set.copyOf(channels);
        audiences = audiences == null ? null : List.copyOf(audiences);
    }

    /** A query for one agent's events ({@code audience} null = every agent's). */
    public EventQuery(long after, long upTo, int limit, Set<EventType> types, Audience audience) {
        this(after, upTo, limit, types, Set.of(), audience == null ? null : List.of(audience));
    }

    public static EventQuery after(long after, int limit) {
        return new EventQuery(after, Long.MAX_VALUE, limit, Set.of(), Set.of(), null);
    }

    /** The same filters over another id range. */
    public EventQuery range(long newAfter, long newUpTo, int newLimit) {
        return new EventQuery(newAfter, newUpTo, newLimit, types, channels, audiences);
    }
}
