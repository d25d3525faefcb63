package io.agentrelay.server.store;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.threads.RelayThreads;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer. It takes queued units of work, runs a group of them in one transaction,
 * commits once — one fsync for the whole group — and only then publishes the group's events and
 * completes each caller's future.
 *
 * <p>A unit that fails must leave no trace while the others in its group commit. Most failures
 * (unknown ids, conflicts, bad references) happen before the unit's first write, and then there is
 * nothing to undo; so units run without savepoints, and only when one fails <em>after</em> writing
 * is the group rolled back and run again with a savepoint around each unit. Units may therefore
 * run twice: their work must touch nothing but the {@link Tx} (see {@link Store#write}).
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

    /** A caller's work, its future, and where the future is to be completed (null: on the notifier). */
    private record Unit<T>(Function<Tx, T> work, CompletableFuture<T> future, Executor home) {
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

    private static final Unit<Void> POISON = new Unit<>(tx -> null, new CompletableFuture<>(), null);

    private final Statements statements;
    private final TransactionControl control;
    /**
     * Publishes each committed group's events and completes its callers' futures, in commit order,
     * so the writer thread spends its time on SQL: waking event loops for hundreds of responses is
     * work the next group's transaction need not wait for.
     */
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(RelayThreads.daemon("relay-notify"));
    private final JdbcTx tx;
    private final EventSink sink;
    private final CallerExecutors callers;
    private final int maxBatch;
    private final long windowNanos;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong lastEventId;
    private final Thread thread;
    private volatile boolean closed;
    /** Set by the writer thread just before its final drain; see {@link #submit}. */
    private volatile boolean finished;
    /** Why the last group failed, until a group commits again; null while writes succeed. */
    private volatile String problem;
    // Counted by the writer thread, read by /metrics.
    private final LongAdder groups = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder failedGroups = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();

    GroupCommitWriter(Statements statements, TransactionControl control, EventSink sink, CallerExecutors callers,
                      int maxBatch, Duration window, long lastEventId) {
        this.statements = statements;
        this.control = control;
        this.callers = callers;
        this.tx = new JdbcTx(statements);
        this.sink = sink;
        this.maxBatch = maxBatch;
        this.windowNanos = window.toNanos();
        this.lastEventId = new AtomicLong(lastEventId);
        // Not a daemon: the JVM waits for it to commit what it acknowledged.
        this.thread = RelayThreads.lasting("relay-writer", this::run);
        this.thread.start();
    }

    <T> CompletableFuture<T> submit(Function<Tx, T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IllegalStateException("the store is closed"));
            return future;
        }
        Unit<T> unit = new Unit<>(work, future, callers.current());
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

    /** See {@link Store#writeProblem()}. */
    String problem() {
        return problem;
    }

    /** See {@link Store#writerCounts()}. */
    WriterCounts counts() {
        return new WriterCounts(groups.sum(), writes.sum(), failedGroups.sum(), commitNanos.sum());
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

    /**
     * Runs and commits one group, counts it, then hands its outcomes to the notifier: counted first,
     * so that a caller who has its answer finds its write in {@link #counts()}.
     */
    @SuppressWarnings("ReferenceEquality") // the spoiler is this very unit, not one equal to it
    private void commitGroup(List<Unit<?>> batch) {
        long began = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try {
            control.begin();
            Outcome spoiler = runWithoutSavepoints(batch, outcomes);
            if (spoiler != null) {
                // A unit failed after it had written: its rows are in the open transaction and
                // cannot be undone alone. Start the group again, every other unit in its own
                // savepoint this time; the failed unit keeps its error and does not run again.
                control.rollbackQuietly();
                control.begin();
                outcomes.clear();
                for (Unit<?> unit : batch) {
                    outcomes.add(unit == spoiler.unit ? spoiler : runInSavepoint(unit));
                }
            }
            control.commit(lastAppended(outcomes));
            problem = unavailability(outcomes);
        } catch (SQLException | RuntimeException e) {
            control.rollbackQuietly();
            String lost = control.recover();
            StoreException failure = new StoreException("the write could not be committed", e, lost);
            problem = failure.unavailable() != null ? failure.unavailable() : "the last write failed";
            if (failure.unavailable() != null) {
                LOG.warn("group commit of {} units failed ({}); all are refused, writes go on with the next group",
                        batch.size(), failure.unavailable());
            } else {
                LOG.error("group commit of {} units failed; all are refused", batch.size(), e);
            }
            List<Outcome> refused = new ArrayList<>(batch.size());
            for (Unit<?> unit : batch) {
                Outcome outcome = new Outcome(unit);
                outcome.error = failure;
                refused.add(outcome);
            }
            count(failedGroups, batch.size(), began);
            notifier.execute(() -> completeAll(refused));
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
        count(groups, batch.size(), began);
        notifier.execute(() -> notify(events, outcomes));
    }

    private void count(LongAdder transactions, int units, long began) {
        transactions.increment();
        writes.add(units);
        commitNanos.add(System.nanoTime() - began);
    }

    /** The first unit's storage failure that passes (a full disk met by one unit's insert), or null. */
    private static String unavailability(List<Outcome> outcomes) {
        for (Outcome outcome : outcomes) {
            if (outcome.error instanceof StoreException store && store.unavailable() != null) {
                return store.unavailable();
            }
        }
        return null;
    }

    private static long lastAppended(List<Outcome> outcomes) {
        for (int i = outcomes.size() - 1; i >= 0; i--) {
            List<Event> events = outcomes.get(i).events;
            if (!events.isEmpty()) {
                return events.get(events.size() - 1).id();
            }
        }
        return 0;
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
        completeAll(outcomes);
    }

    /**
     * Completes the futures, those of callers that named an executor in one task per executor
     * (one wake-up of an event loop instead of one per caller), the others right here.
     */
    private static void completeAll(List<Outcome> outcomes) {
        Map<Executor, List<Outcome>> byHome = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            Executor home = outcome.unit.home();
            if (home == null) {
                complete(outcome);
            } else {
                byHome.computeIfAbsent(home, h -> new ArrayList<>()).add(outcome);
            }
        }
        byHome.forEach((home, mine) -> {
            try {
                home.execute(() -> mine.forEach(GroupCommitWriter::complete));
            } catch (RuntimeException e) {
                // The caller's executor is gone (shutting down): complete here rather than never.
                mine.forEach(GroupCommitWriter::complete);
            }
        });
    }

    /**
     * The fast path: runs the units one after another in the open transaction, without a savepoint
     * each (a savepoint pair costs about as much as the rest of a send). A unit that fails before
     * its first write leaves nothing behind and simply fails. Returns the first unit that failed
     * after writing, with the outcomes so far in {@code outcomes}; null when the group is clean.
     */
    private Outcome runWithoutSavepoints(List<Unit<?>> batch, List<Outcome> outcomes) {
        for (Unit<?> unit : batch) {
            tx.takeWrote();
            Outcome outcome = run(unit);
            if (outcome.error != null && tx.takeWrote()) {
                return outcome;
            }
            outcomes.add(outcome);
        }
        return null;
    }

    private Outcome runInSavepoint(Unit<?> unit) throws SQLException {
        statement("SAVEPOINT unit");
        Outcome outcome = run(unit);
        if (outcome.error != null) {
            statement("ROLLBACK TO unit");
        }
        statement("RELEASE unit");
        return outcome;
    }

    /** Runs one unit's work: its result and events, or its failure with its events dropped. */
    private Outcome run(Unit<?> unit) {
        Outcome outcome = new Outcome(unit);
        try {
            outcome.result = unit.work().apply(tx);
            outcome.events = tx.takeEvents();
        } catch (RuntimeException | Error e) {
            // The failure is the caller's, even an Error from a bug in the work: the writer thread
            // must survive it, or every later write would wait forever.
            tx.takeEvents();
            outcome.error = e;
        }
        return outcome;
    }

    /** Runs a savepoint statement, prepared once and reused (they run several times per unit). */
    private void statement(String sql) throws SQLException {
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
