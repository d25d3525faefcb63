package io.agentrelay.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.Json;
import io.agentrelay.server.routing.Audience;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which live events a stream carries: optionally only some types, optionally only those that
 * concern one agent. An agent's audience follows its card: when an event carries a new card for
 * the agent (registration, a tag change), later events are matched against it.
 *
 * <p>Confined to the stream's lane thread, like the {@link Subscription} that calls it.
 */
public final class StreamFilter implements Predicate<Event> {
    private final Set<EventType> types;
    private Audience audience;

    /** @param audience null for every agent's events (the dashboard) */
    public StreamFilter(Set<EventType> types, Audience audience) {
        this.types = Set.copyOf(types);
        this.audience = audience;
    }

    public Audience audience() {
        return audience;
    }

    @Override
    public boolean test(Event event) {
        if (audience != null && isNewCardFor(event, audience.agentId())) {
            audience = Audience.of(card(event));
        }
        if (!types.isEmpty() && !types.contains(event.type())) {
            return false;
        }
        return audience == null || audience.concerns(event);
    }

    private static boolean isNewCardFor(Event event, String agentId) {
        return (event.type() == EventType.AGENT_REGISTERED || event.type() == EventType.AGENT_STATUS)
                && agentId.equals(event.scope().agentId());
    }

    private static AgentCard card(Event event) {
        try {
            return Json.mapper().readValue(event.data(), AgentCard.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " does not hold an agent card", e);
        }
    }
}
