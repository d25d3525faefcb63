package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.store.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Hands committed events to live subscribers. Subscribers are grouped in lanes, one per executor
 * (in the HTTP edge: one per event loop), so publishing a batch costs one task per lane rather than
 * one per subscriber, and every subscriber of a lane is called on that lane's thread.
 *
 * <p>The bus never blocks and never queries the store: a subscriber that cannot keep up is its own
 * problem to solve (see {@link Subscription}).
 */
public final class EventBus implements EventSink {

    /** Receives batches of committed events, in id order, on its lane's executor. */
    public interface Listener {
        void onEvents(List<Published> events);
    }

    /** The subscribers that share one executor. Mutated and iterated only on that executor. */
    public static final class Lane {
        private final Executor executor;
        private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

        private Lane(Executor executor) {
            this.executor = executor;
        }

        public void add(Listener listener) {
            listeners.add(listener);
        }

        public void remove(Listener listener) {
            listeners.remove(listener);
        }

        public Executor executor() {
            return executor;
        }

        int size() {
            return listeners.size();
        }

        private void publish(List<Published> events) {
            for (Listener listener : listeners) {
                listener.onEvents(events);
            }
        }
    }

    private final Map<Object, Lane> lanes = new ConcurrentHashMap<>();

    /** The lane for {@code key} (an event-loop context, say), created with {@code executor} if new. */
    public Lane lane(Object key, Executor executor) {
        return lanes.computeIfAbsent(key, k -> new Lane(executor));
    }

    @Override
    public void committed(List<Event> events) {
        List<Published> batch = new ArrayList<>(events.size());
        for (Event event : events) {
            batch.add(new Published(event));
        }
        List<Published> frozen = List.copyOf(batch);
        for (Lane lane : lanes.values()) {
            if (lane.size() > 0) {
                lane.executor.execute(() -> lane.publish(frozen));
            }
        }
    }
}
