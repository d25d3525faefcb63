package io.agentrelay.server.http;

import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.LogHead;
import io.agentrelay.server.events.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open live streams (SSE and WebSocket) of one edge, so shutdown can end each with a reason,
 * on its own event loop, before the store closes.
 */
final class LiveStreams {
    private final EventBus bus;
    private final LogHead head;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final java.util.Map<Subscription, EventBus.Lane> lanes = new ConcurrentHashMap<>();

    LiveStreams(EventBus bus, LogHead head) {
        this.bus = bus;
        this.head = head;
    }

    /** How far this node's bus has got through the log: where new streams snapshot their replay. */
    LogHead head() {
        return head;
    }

    /**
     * The bus lane of the calling event loop. One lane per event-loop thread: a published batch
     * costs one task per loop, not one per stream.
     */
    EventBus.Lane laneHere(Vertx vertx) {
        Context context = vertx.getOrCreateContext();
        return bus.lane(Thread.currentThread(), task -> context.runOnContext(v -> task.run()));
    }

    void add(Subscription subscription, EventBus.Lane lane) {
        lanes.put(subscription, lane);
        open.add(subscription);
    }

    void remove(Subscription subscription) {
        open.remove(subscription);
        lanes.remove(subscription);
    }

    int size() {
        return open.size();
    }

    /** Ends every open stream with {@code reason}; completes when all have been ended. */
    CompletableFuture<Void> closeAll(String reason) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Subscription subscription : open) {
            EventBus.Lane lane = lanes.get(subscription);
            if (lane == null) {
                continue;
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            lane.executor().execute(() -> {
                subscription.stop(reason);
                done.complete(null);
            });
            closing.add(done);
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }
}
