package io.agentrelay.server.store;

import io.agentrelay.server.model.Event;
import java.util.List;

/**
 * Receives the events this store committed, batch by batch in commit order, on the store's
 * notifying thread, before the writers' futures complete. In the relay it is the node's log tailer.
 * It may read the store (the tailer does, to fill a gap another node left) but must not write.
 */
@FunctionalInterface
public interface EventSink {
    void committed(List<Event> events);
}
