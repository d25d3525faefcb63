package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.Store;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream's cursor over the event log: replays what the client missed, then follows the
 * live tail, with no gap and no duplicate. Every stream type (SSE, WebSocket) is one of these
 * plus a {@link Sink} that knows its wire format.
 *
 * <p>The algorithm: join the bus first (live events are held back in a bounded buffer), then take
 * the node's {@link LogHead} position as the snapshot, replay (after, snapshot] from the store
 * page by page, and finally release the held-back events above the last one sent. Any event is
 * either committed before the snapshot (so it is in the replay) or after it (so the bus delivers it
 * after we joined); ids only grow, so "above the last sent" removes the overlap.
 *
 * <p>Thread-safety: confined to its lane's executor; store reads hop off it and back.
 */
public final class Subscription implements EventBus.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    /** Where a subscription's events go; implemented by each stream type. Called on the lane. */
    public interface Sink {
        /** Writes one event; false when the connection's outbound queue is full. */
        boolean write(Published event);

        /** Whether the outbound queue has room. */
        boolean writable();

        /** Calls {@code then} once when the outbound queue has room again. */
        void whenWritable(Runnable then);

        /** Ends the stream, saying why. */
        void close(StreamEnd end);

        /**
         * Called once, before any event is written: the replay will carry the matching events in
         * (replayFrom, replayUntil], then live events above replayUntil follow. {@code replayFrom}
         * is the client's resume point: every event above it is replayed.
         */
        default void started(long replayFrom, long replayUntil) {
        }
    }

    private final Store store;
    private final LogHead head;
    private final EventBus.Lane lane;
    private final Sink sink;
    private final int pageSize;
    private final int maxHeldBack;
    private final ArrayDeque<Published> heldBack = new ArrayDeque<>();
    private final StreamFilter filter;
    private long lastSent;
    private long replayUntil;
    private boolean live;
    private boolean closed;

    /**
     * @param head        this node's position in the log, the replay's upper bound
     * @param after       the last event id the client has; replay starts above it
     * @param filter      which events this stream carries, replayed and live
     * @param maxHeldBack live events held back during the replay before the stream is cut as too slow
     */
    public Subscription(Store store, LogHead head, EventBus.Lane lane, Sink sink, long after, StreamFilter filter,
                        int pageSize, int maxHeldBack) {
        this.store = store;
        this.head = head;
        this.lane = lane;
        this.sink = sink;
        this.lastSent = after;
        this.filter = filter;
        this.pageSize = pageSize;
        this.maxHeldBack = maxHeldBack;
    }

    /** Joins the bus and starts the replay. Call on the lane's executor. */
    public void start() {
        if (filter.carriesNothing()) {
            // Subscribed to nothing: no replay, and no place on the bus.
            replayUntil = head.position();
            lastSent = Math.max(lastSent, replayUntil);
            sink.started(lastSent, replayUntil);
            live = true;
            return;
        }
        // Join first, then take the snapshot. An event committed between the two is then both in
        // the replay and held back from the bus (the overlap is dropped by id); the other order
        // would leave it in neither, and the next live event would move the client past it for good.
        lane.add(this);
        replayUntil = head.position();
        sink.started(lastSent, replayUntil);
        replayNextPage();
    }

    /** The id of the last event written to the sink. */
    public long lastSent() {
        return lastSent;
    }

    private void replayNextPage() {
        if (closed) {
            return;
        }
        if (lastSent >= replayUntil) {
            goLive();
            return;
        }
        // Built here, on the lane: the filter is confined to it.
        EventQuery query = filter.page(lastSent, replayUntil, pageSize);
        store.read(reads -> reads.events(query))
                .whenComplete((page, error) -> lane.executor().execute(() -> onPage(page, error)));
    }

    private void onPage(List<Event> page, Throwable error) {
        if (closed) {
            return;
        }
        if (error != null) {
            LOG.warn("replay after event {} failed", lastSent, error);
            stop(StreamEnd.REPLAY_FAILED);
            return;
        }
        for (Event event : page) {
            sink.write(new Published(event));
            lastSent = event.id();
        }
        if (page.size() < pageSize) {
            // A short page means nothing more matches up to the snapshot.
            lastSent = Math.max(lastSent, replayUntil);
        }
        if (sink.writable()) {
            replayNextPage();
        } else {
            sink.whenWritable(this::replayNextPage);
        }
    }

    private void goLive() {
        live = true;
        Published event;
        while ((event = heldBack.poll()) != null && !closed) {
            deliver(event);
        }
    }

    @Override
    public void onEvents(List<Published> events) {
        if (closed) {
            return;
        }
        if (!live) {
            if (heldBack.size() + events.size() > maxHeldBack) {
                stop(StreamEnd.SLOW_CONSUMER);
                return;
            }
            heldBack.addAll(events);
            return;
        }
        for (Published event : events) {
            if (!deliver(event)) {
                return;
            }
        }
    }

    private boolean deliver(Published event) {
        if (event.id() <= lastSent) {
            return true;
        }
        if (!filter.test(event.event())) {
            return true;
        }
        if (!sink.writable()) {
            stop(StreamEnd.SLOW_CONSUMER);
            return false;
        }
        sink.write(event);
        lastSent = event.id();
        return true;
    }

    /** Leaves the bus and closes the sink, saying why. Idempotent. */
    public void stop(StreamEnd end) {
        if (closed) {
            return;
        }
        closed = true;
        lane.remove(this);
        heldBack.clear();
        sink.close(end);
    }

    /** Leaves the bus without touching the sink (the connection is already gone). Idempotent. */
    public void detach() {
        closed = true;
        lane.remove(this);
        heldBack.clear();
    }
}
