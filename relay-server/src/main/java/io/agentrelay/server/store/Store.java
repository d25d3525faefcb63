package io.agentrelay.server.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The relay's durable state, in domain terms and free of any SQL dialect. Every implementation
 * passes the same contract test suite.
 *
 * <p>{@link #write} runs its work in one transaction together with the events it appends; the
 * future completes only after that transaction is durable (fsync'd), and the appended events are
 * handed to the {@link EventSink} after commit and before the future completes. Work that throws
 * leaves no trace: none of its rows and none of its events.
 *
 * <p>The work may run more than once (a store may roll back a batch of writes and run them again),
 * so it must act only through the {@link Tx} and return what it computed: no side effects outside
 * the transaction.
 */
public interface Store extends AutoCloseable {

    /**
     * Runs {@code work} in a write transaction; completes after commit with its result or its
     * exception. The work must have no effect outside the {@link Tx}: it may run more than once.
     * A caller whose {@link CallerExecutors} names no executor is completed on the store's own
     * notifying thread, never the writer's; its continuations must not block there (waiting for
     * another write from one would wait forever): hand blocking work to a thread of your own.
     */
    <T> CompletableFuture<T> write(Function<Tx, T> work);

    /** Runs {@code work} against committed state, off the caller's thread. */
    <T> CompletableFuture<T> read(Function<Reads, T> work);

    /**
     * The highest event id whose transaction has committed, asked now (on a shared database, a
     * query). The log tailer starts from it; live streams use the tailer's position instead.
     */
    long lastEventId();

    /**
     * Calls {@code wake} (on a thread of the store's, never blocking it for long) when another
     * process may have committed events: a shared store's notification. Events committed through
     * this store reach its {@link EventSink} instead. A single-process store never calls it.
     */
    default void watchForeignCommits(Runnable wake) {
    }

    /**
     * Why writes are failing, from the last write group that failed until one commits again (for
     * example {@code SQLITE_FULL} while the disk is full), or that the store's file was found
     * damaged; null while all is well. Health reports it as a degraded store.
     */
    default String writeProblem() {
        return null;
    }

    /** What this store's writer did since it opened (for {@code /metrics}). */
    default WriterCounts writerCounts() {
        return WriterCounts.NONE;
    }

    /** What kind of store this is, for {@code /api/health}: {@code sqlite} or {@code postgresql}. */
    String kind();

    /** Stops taking work, finishes what was queued, and closes every connection. */
    @Override
    void close();
}
