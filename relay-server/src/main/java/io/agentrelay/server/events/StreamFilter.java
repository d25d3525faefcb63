package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.Json;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.store.EventQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one place that decides which events a stream carries, for its replay (as a store query) and
 * for its live tail (as a predicate), so both agree. Filters combine with AND: event types (empty =
 * all), channels (empty = all), agents (null = all; otherwise events that concern at least one of
 * them, by {@link Audience}). {@link #NOTHING} carries no event at all.
 *
 * <p>An agent's audience follows its card: when an event carries a new card for one of the
 * agents (registration, a tag change), later events are matched against it. Confined to the
 * stream's lane thread, like the {@link Subscription} that calls it.
 */
public final class StreamFilter implements Predicate<Event> {
    /** Carries nothing: a WebSocket client that subscribed to nothing. */
    public static final StreamFilter NOTHING = new StreamFilter(Set.of(), Set.of(), List.of());

    private final Set<EventType> types;
    private final Set<String> channels;
    private final List<Audience> audiences;

    /** @param audiences null for every agent's events; empty for none */
    public StreamFilter(Set<EventType> types, Set<String> channels, List<Audience> audiences) {
        this.types = Set.copyOf(types);
        this.channels = Set.copyOf(channels);
        this.audiences = audiences == null ? null : new ArrayList<>(audiences);
    }

    /** Every event, or every event of one agent ({@code audience} null = all agents). */
    public static StreamFilter of(Set<EventType> types, Audience audience) {
        return new StreamFilter(types, Set.of(), audience == null ? null : List.of(audience));
    }

    public boolean carriesNothing() {
        return audiences != null && audiences.isEmpty();
    }

    /** The store query for one replay page with these filters. */
    public EventQuery page(long after, long upTo, int limit) {
        return new EventQuery(after, upTo, limit, types, channels, audiences);
    }

    @Override
    public boolean test(Event event) {
        if (audiences != null) {
            refreshCards(event);
        }
        if (!types.isEmpty() && !types.contains(event.type())) {
            return false;
        }
        String channel = event.scope().channel();
        if (!channels.isEmpty() && (channel == null || !channels.contains(channel))) {
            return false;
        }
        if (audiences == null) {
            return true;
        }
        for (Audience audience : audiences) {
            if (audience.concerns(event)) {
                return true;
            }
        }
        return false;
    }

    private void refreshCards(Event event) {
        if (event.type() != EventType.AGENT_REGISTERED && event.type() != EventType.AGENT_STATUS) {
            return;
        }
        for (int i = 0; i < audiences.size(); i++) {
            if (audiences.get(i).agentId().equals(event.scope().agentId())) {
                audiences.set(i, Audience.of(card(event)));
            }
        }
    }

    private static AgentCard card(Event event) {
        try {
            return Json.mapper().readValue(event.data(), AgentCard.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " does not hold an agent card", e);
        }
    }
}
