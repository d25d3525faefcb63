package io.agentrelay.server.threads;

import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every thread the relay starts comes from here: named (a thread dump reads as the relay's
 * structure: {@code relay-writer}, {@code relay-read-1}, ...), daemon or not by a stated policy,
 * and with one uncaught-exception handler that logs the exception with the thread's name.
 *
 * <p>Daemon policy: threads that only serve others (readers, notifier, tailer, listener, callback
 * sender) are daemons, so a relay that was not closed does not keep the JVM alive through them.
 * Two kinds are not: the store's writer ({@link #lasting}), which must drain its queue and commit
 * what it acknowledged before the JVM may exit, and Vert.x's event loops, which Vert.x itself
 * starts as non-daemon threads and stops on {@code close()}. Shutdown hooks are unstarted threads
 * whose daemon flag does not matter.
 */
public final class RelayThreads {
    private static final Logger LOG = LoggerFactory.getLogger(RelayThreads.class);

    /**
     * The one uncaught-exception handler. Executors' {@code submit} keeps a task's exception in
     * its future; this sees what escapes a thread's own loop or an {@code execute}d task.
     */
    public static final Thread.UncaughtExceptionHandler LOG_UNCAUGHT = (thread, error) ->
            LOG.error("uncaught exception in thread {}{}", thread.getName(),
                    thread.isVirtual() ? " (virtual)" : "", error);

    private RelayThreads() {
    }

    /** Daemon platform threads all named {@code name}: for a single-thread executor. */
    public static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name).daemon(true).uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
    }

    /** Daemon platform threads named the prefix followed by 1, 2, ...: for a fixed pool. */
    public static ThreadFactory daemons(String prefix) {
        return Thread.ofPlatform().name(prefix, 1).daemon(true).uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
    }

    /** Virtual threads named the prefix followed by 0, 1, ...: for work that mostly waits on I/O. */
    public static ThreadFactory virtual(String prefix) {
        return Thread.ofVirtual().name(prefix, 0).uncaughtExceptionHandler(LOG_UNCAUGHT).factory();
    }

    /** An unstarted daemon platform thread named {@code name}. */
    public static Thread daemon(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon(true).uncaughtExceptionHandler(LOG_UNCAUGHT).unstarted(task);
    }

    /**
     * An unstarted platform thread that keeps the JVM alive while it runs: for work that must
     * finish before the process may exit (the store's writer) or that must not be cut short
     * (start-up).
     */
    public static Thread lasting(String name, Runnable task) {
        return Thread.ofPlatform().name(name).daemon(false).uncaughtExceptionHandler(LOG_UNCAUGHT).unstarted(task);
    }

    /** An unstarted thread to register with {@link Runtime#addShutdownHook}. */
    public static Thread shutdownHook(String name, Runnable task) {
        return Thread.ofPlatform().name(name).uncaughtExceptionHandler(LOG_UNCAUGHT).unstarted(task);
    }

    /**
     * Vert.x's event-loop, acceptor and worker threads (Netty's event loops run on them). Vert.x
     * names them itself ({@code vert.x-eventloop-thread-N}, ...), and they must be
     * {@link VertxThread}s; this adds the relay's uncaught-exception handler and leaves Vert.x's
     * names and daemon flag as they are.
     */
    public static VertxThreadFactory vertx() {
        return new VertxThreadFactory() {
            @Override
            public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                              TimeUnit maxExecTimeUnit) {
                VertxThread thread = new VertxThread(target, name, worker, maxExecTime, maxExecTimeUnit);
                thread.setUncaughtExceptionHandler(LOG_UNCAUGHT);
                return thread;
            }
        };
    }
}
