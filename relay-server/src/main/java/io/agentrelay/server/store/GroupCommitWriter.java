package io.agentrelay.server.store;

import io.agentrelay.server.events.Event;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer. It takes queued units of work, runs a group of them in one transaction (each
 * inside its own savepoint, so one failing unit rolls back alone), commits once — one fsync for the
 * whole group — and only then publishes the group's events and completes each caller's future.
 *
 * <p>A group holds whatever was queued when the previous commit finished, up to {@code maxBatch};
 * with {@code window} above zero the writer also waits that long for more work when the group is
 * not full. While one group fsyncs, the next one queues up, so batching grows with load on its own.
 *
 * <p>Thread-safety: {@link #submit} may be called from any thread; everything else runs on the
 * writer thread, which alone touches the connection.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private record Unit<T>(Function<Tx, T> work, CompletableFuture<T> future) {
    }

    /** The outcome of one unit within a group, settled only after the group's commit. */
    private static final class Outcome {
        final Unit<?> unit;
        Object result;
        Throwable error;
        List<Event> events = List.of();

        Outcome(Unit<?> unit) {
            this.unit = unit;
        }
    }

    private static final Unit<Void> POISON = new Unit<>(tx -> null, new CompletableFuture<>());

    private final Statements statements;
    private final Connection connection;
    /**
     * Publishes each committed group's events and completes its callers' futures, in commit order,
     * so the writer thread spends its time on SQL: waking event loops for hundreds of responses is
     * work the next group's transaction need not wait for.
     */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("relay-notify").daemon(true).factory());
    private final JdbcTx tx;
    private final EventSink sink;
    private final int maxBatch;
    private final long windowNanos;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong lastEventId;
    private final Thread thread;
    private volatile boolean closed;
    /** Set by the writer thread just before its final drain; see {@link #submit}. */
    private volatile boolean finished;

    GroupCommitWriter(Statements statements, EventSink sink, int maxBatch, Duration window, long lastEventId) {
        this.statements = statements;
        this.connection = statements.connection();
        this.tx = new JdbcTx(statements);
        this.sink = sink;
        this.maxBatch = maxBatch;
        this.windowNanos = window.toNanos();
        this.lastEventId = new AtomicLong(lastEventId);
        this.thread = Thread.ofPlatform().name("relay-writer").daemon(false).unstarted(this::run);
        this.thread.setUncaughtExceptionHandler((t, e) -> LOG.error("writer thread died", e));
        this.thread.start();
    }

    <T> CompletableFuture<T> submit(Function<Tx, T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IllegalStateException("the store is closed"));
            return future;
        }
        Unit<T> unit = new Unit<>(work, future);
        queue.add(unit);
        // Closed between the check above and the add: if the writer already did its final drain,
        // nobody else will ever take this unit, so refuse it here rather than leave it hanging.
        if (finished && queue.remove(unit)) {
            future.completeExceptionally(new IllegalStateException("the store is closed"));
        }
        return future;
    }

    long lastEventId() {
        return lastEventId.get();
    }

    private void run() {
        List<Unit<?>> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - batch.size());
                if (windowNanos > 0 && batch.size() < maxBatch) {
                    Unit<?> more = queue.poll(windowNanos, TimeUnit.NANOSECONDS);
                    if (more != null) {
                        batch.add(more);
                        queue.drainTo(batch, maxBatch - batch.size());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            }
            stopping |= batch.remove(POISON);
            if (!batch.isEmpty()) {
                commitGroup(batch);
            }
            batch.clear();
        }
        // Whatever arrived after the poison pill is refused rather than left hanging.
        finished = true;
        Unit<?> late;
        while ((late = queue.poll()) != null) {
            late.future().completeExceptionally(new IllegalStateException("the store is closed"));
        }
    }

    private void commitGroup(List<Unit<?>> batch) {
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try {
            control("BEGIN IMMEDIATE");
            for (Unit<?> unit : batch) {
                outcomes.add(runInSavepoint(unit));
            }
            control("COMMIT");
        } catch (SQLException | RuntimeException e) {
            LOG.error("group commit of {} units failed; all are refused", batch.size(), e);
            rollbackQuietly();
            StoreException failure = new StoreException("the write could not be committed", e);
            List<Unit<?>> refused = List.copyOf(batch);
            notifier.execute(() -> refused.forEach(unit -> unit.future().completeExceptionally(failure)));
            return;
        }
        List<Event> events = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            events.addAll(outcome.events);
        }
        if (!events.isEmpty()) {
            // Set before anyone hears of these events: a stream that snapshots this id finds them in the log.
            lastEventId.set(events.get(events.size() - 1).id());
        }
        notifier.execute(() -> notify(events, outcomes));
    }

    /** On the notifier thread: events to the sink first, then the callers' futures. */
    private void notify(List<Event> events, List<Outcome> outcomes) {
        if (!events.isEmpty()) {
            try {
                sink.committed(events);
            } catch (RuntimeException | Error e) {
                // The events are committed and stay in the log; streams catch up from it. The
                // writer must outlive a faulty sink, or every later write would hang.
                LOG.error("event sink failed after commit; events {}..{} stay in the log", events.get(0).id(),
                        events.get(events.size() - 1).id(), e);
            }
        }
        for (Outcome outcome : outcomes) {
            complete(outcome);
        }
    }

    private Outcome runInSavepoint(Unit<?> unit) throws SQLException {
        Outcome outcome = new Outcome(unit);
        control("SAVEPOINT unit");
        try {
            outcome.result = unit.work().apply(tx);
            outcome.events = tx.takeEvents();
            control("RELEASE unit");
        } catch (RuntimeException | Error e) {
            // The failure is the caller's, even an Error from a bug in the work: the writer thread
            // must survive it, or every later write would wait forever.
            tx.takeEvents();
            control("ROLLBACK TO unit");
            control("RELEASE unit");
            outcome.error = e;
        }
        return outcome;
    }

    /** Runs a transaction-control statement, prepared once and reused (they run several times per unit). */
    private void control(String sql) throws SQLException {
        statements.prepare(sql).execute();
    }

    @SuppressWarnings("unchecked")
    private static void complete(Outcome outcome) {
        CompletableFuture<Object> future = (CompletableFuture<Object>) outcome.unit.future();
        if (outcome.error != null) {
            future.completeExceptionally(outcome.error);
        } else {
            future.complete(outcome.result);
        }
    }

    private void rollbackQuietly() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open, or the connection is gone: nothing to undo
        }
    }

    /** Finishes every unit queued before this call, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(POISON);
        try {
            thread.join();
            notifier.shutdown();
            notifier.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
