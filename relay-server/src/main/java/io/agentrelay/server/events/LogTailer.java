package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.EventSink;
import io.agentrelay.server.store.Store;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds this node's {@link EventBus} from the event log, in id order, from its own cursor. It is
 * the only thing that publishes to the bus, so one mechanism serves a single relay and a cluster.
 *
 * <p>Three things wake it: this node's own commits ({@link #committed}, called by the store's
 * writer after each commit with the events it just wrote), the store's word that another process
 * committed ({@link Store#watchForeignCommits}: PostgreSQL's {@code NOTIFY}), and a slow poll as a
 * safety net. Its own commits are published straight from memory when they follow the cursor
 * without a gap (always on SQLite, and on PostgreSQL unless another node wrote in between or a
 * rolled-back write left a hole in the ids); anything else is read from the store.
 *
 * <p>Reading {@code id > cursor} never passes an id that commits later, because every store
 * makes ids visible in id order: SQLite has one writer, and the PostgreSQL store serialises its
 * write transactions across nodes (see {@code PostgresStore}). The store contract states it.
 *
 * <p>Thread-safety: {@link #committed} runs on the store's notifying thread, catch-ups on the
 * tailer's own thread; both publish under one lock, so batches reach the bus in id order. The
 * position is set before a batch is published (see {@link LogHead}).
 */
public final class LogTailer implements EventSink, LogHead, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogTailer.class);
    static final int PAGE = 500;

    private final EventBus bus;
    private final Duration poll;
    private final Object publishing = new Object();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private final ScheduledExecutorService thread;
    private volatile Store store;
    private volatile long position;
    private volatile boolean closed;

    public LogTailer(EventBus bus, Duration poll, ScheduledExecutorService thread) {
        this.bus = bus;
        this.poll = poll;
        this.thread = thread;
    }

    /**
     * Starts tailing {@code from} its current end: events committed before this call are history
     * (streams replay them from storage), those committed after reach the bus.
     */
    public void start(Store from) {
        this.store = from;
        this.position = from.lastEventId();
        from.watchForeignCommits(this::wake);
        thread.scheduleWithFixedDelay(this::wake, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long position() {
        return position;
    }

    /** This node's commit, in id order: published from memory when it follows the cursor, else read back. */
    @Override
    public void committed(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (publishing) {
            long last = events.get(events.size() - 1).id();
            if (last <= position) {
                return; // a catch-up read it first
            }
            if (store == null || events.get(0).id() == position + 1) {
                publish(events);
                return;
            }
            catchUp();
        }
    }

    /** Queues a catch-up read on the tailer's thread unless one is already queued; never blocks. */
    public void wake() {
        if (closed || !catchUpQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(() -> {
                catchUpQueued.set(false);
                synchronized (publishing) {
                    catchUp();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            catchUpQueued.set(false);
        }
    }

    /** Reads and publishes everything committed above the cursor. Holds {@link #publishing}. */
    private void catchUp() {
        Store source = store;
        if (source == null || closed) {
            return;
        }
        try {
            while (true) {
                long after = position;
                List<Event> page = source.read(reads -> reads.events(EventQuery.after(after, PAGE))).get();
                if (page.isEmpty()) {
                    return;
                }
                publish(page);
                if (page.size() < PAGE) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // Nothing is lost: the cursor did not move, and the next wake-up or poll reads again.
            if (!closed) {
                LOG.warn("reading the event log after {} failed; retrying on the next wake-up", position, e);
            }
        }
    }

    private void publish(List<Event> events) {
        // The position moves first: a stream that joins its lane and then reads it either gets these
        // events from storage (position already moved) or from the bus (published after it joined).
        position = events.get(events.size() - 1).id();
        bus.committed(events);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }
}
