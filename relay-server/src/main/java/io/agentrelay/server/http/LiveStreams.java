package io.agentrelay.server.http;

import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.LogHead;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.events.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The open live streams (SSE and WebSocket) of one edge: so shutdown can end each with a reason,
 * on its own event loop, before the store closes; and so {@code GET /api/streams} can say who is
 * connected and which streams were recently cut as slow consumers.
 */
final class LiveStreams {
    /** How many slow-consumer cuts {@code GET /api/streams} remembers (the newest). */
    static final int RECENT_CUTS = 50;

    /** What a stream is, fixed when it opens. {@code filter} is what the client asked for. */
    record Opened(String transport, String remote, Map<String, Object> filter) {
    }

    /** One open stream as {@code GET /api/streams} shows it; {@code lastEventId} is the last one sent. */
    record Open(long id, String transport, String remote, Map<String, Object> filter, long openedAt,
                long lastEventId) {
    }

    /** A stream the relay cut because its client read too slowly. */
    record Cut(long id, String transport, String remote, Map<String, Object> filter, long openedAt, long cutAt,
               long lastEventId, String reason) {
    }

    private record Entry(long id, Opened opened, long openedAt, EventBus.Lane lane) {
    }

    private final EventBus bus;
    private final LogHead head;
    private final LongSupplier clock;
    private final Map<Subscription, Entry> open = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
    // Guarded by itself; written once per cut, read by GET /api/streams.
    private final ArrayDeque<Cut> cuts = new ArrayDeque<>();

    LiveStreams(EventBus bus, LogHead head, LongSupplier clock) {
        this.bus = bus;
        this.head = head;
        this.clock = clock;
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

    void add(Subscription subscription, EventBus.Lane lane, Opened opened) {
        open.put(subscription, new Entry(ids.incrementAndGet(), opened, clock.getAsLong(), lane));
    }

    /** The client went away. */
    void remove(Subscription subscription) {
        open.remove(subscription);
    }

    /** The relay ended the stream; slow-consumer cuts are remembered. */
    void ended(Subscription subscription, StreamEnd end) {
        Entry entry = open.remove(subscription);
        if (entry == null || end != StreamEnd.SLOW_CONSUMER) {
            return;
        }
        Cut cut = new Cut(entry.id(), entry.opened().transport(), entry.opened().remote(), entry.opened().filter(),
                entry.openedAt(), clock.getAsLong(), subscription.lastSent(), end.reason());
        synchronized (cuts) {
            cuts.addFirst(cut);
            while (cuts.size() > RECENT_CUTS) {
                cuts.removeLast();
            }
        }
    }

    int size() {
        return open.size();
    }

    /** The recent slow-consumer cuts, newest first. */
    List<Cut> cuts() {
        synchronized (cuts) {
            return List.copyOf(cuts);
        }
    }

    /**
     * The open streams, oldest first. Each stream's position is read on its own event loop (the
     * subscription is confined to it), so this completes once every loop has answered.
     */
    CompletableFuture<List<Open>> list() {
        List<CompletableFuture<Open>> answers = new ArrayList<>();
        open.forEach((subscription, entry) -> {
            CompletableFuture<Open> answer = new CompletableFuture<>();
            entry.lane().executor().execute(() -> answer.complete(new Open(entry.id(), entry.opened().transport(),
                    entry.opened().remote(), entry.opened().filter(), entry.openedAt(), subscription.lastSent())));
            answers.add(answer);
        });
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(v -> answers.stream()
                .map(CompletableFuture::join).sorted(Comparator.comparingLong(Open::id)).toList());
    }

    /** Ends every open stream, saying why; completes when all have been ended. */
    CompletableFuture<Void> closeAll(StreamEnd end) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        open.forEach((subscription, entry) -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            entry.lane().executor().execute(() -> {
                subscription.stop(end);
                done.complete(null);
            });
            closing.add(done);
        });
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }
}
