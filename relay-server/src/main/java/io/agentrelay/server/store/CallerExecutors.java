package io.agentrelay.server.store;

import java.util.concurrent.Executor;

/**
 * Where the store completes its callers' futures. One committed group answers many callers at
 * once; handing each answer to its caller's event loop separately costs a wake-up (a system call)
 * per caller. So the store asks, when a write is submitted, which executor the caller wants its
 * completion on, and completes all of a group's futures for one executor in a single task there.
 */
@FunctionalInterface
public interface CallerExecutors {
    /** Completes every future on the store's own thread. */
    CallerExecutors NONE = () -> null;

    /**
     * The executor for the calling thread's completions, or null to complete on the store's own
     * thread. Equal executors share one task per group, so return equal values for one caller.
     */
    Executor current();
}
