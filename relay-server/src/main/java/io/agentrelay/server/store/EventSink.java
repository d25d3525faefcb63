package io.agentrelay.server.store;

import io.agentrelay.server.events.Event;
import java.util.List;

/** Receives committed events, in id order, from the thread that committed them. Must not block. */
@FunctionalInterface
public interface EventSink {
    void committed(List<Event> events);
}
