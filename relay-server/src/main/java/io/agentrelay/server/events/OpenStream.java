package io.agentrelay.server.events;

import io.agentrelay.server.errors.Require;
import io.agentrelay.server.model.EventType;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A client opening a live stream (SSE or WebSocket): where to resume and what to carry.
 *
 * @param after       the last event id the client has; null: from the live tail on
 * @param everything  carry every event (no filter at all)
 * @param agents      agent ids; events that concern any of them (empty: every agent's)
 * @param channels    with {@code topics}: events of these channels OR these topics (empty: any)
 * @param topics      thread ids (WebSocket only)
 * @param types       event types (empty: every type)
 * @param signOfLife  opening the stream is a sign of life of its agents (an agent opening its own SSE stream)
 */
public record OpenStream(Long after, boolean everything, List<String> agents, Set<String> channels,
                         Set<String> topics, Set<EventType> types, boolean signOfLife) {

    public OpenStream {
        agents = List.copyOf(agents);
        agents.forEach(id -> Require.agentId("agentId", id));
        // In the client's order: GET /api/streams shows them as asked.
        channels = Collections.unmodifiableSet(new LinkedHashSet<>(channels));
        topics = Collections.unmodifiableSet(new LinkedHashSet<>(topics));
        types = Collections.unmodifiableSet(new LinkedHashSet<>(types));
    }

    /** An SSE stream: every event, or those of some types, of one agent ({@code agentId} null: of all). */
    public static OpenStream sse(Long after, Set<EventType> types, String agentId) {
        List<String> agents = agentId == null ? List.of() : List.of(agentId);
        return new OpenStream(after, types.isEmpty() && agentId == null, agents, Set.of(), Set.of(), types,
                agentId != null);
    }

    /** Subscribed to nothing at all: no replay, no live events (a WebSocket hello with empty lists). */
    public boolean nothing() {
        return !everything && agents.isEmpty() && channels.isEmpty() && topics.isEmpty() && types.isEmpty();
    }
}
