package io.agentrelay.server.http;

import io.agentrelay.server.store.CallerExecutors;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * The store's completions for a request go back to the Vert.x context (event loop) that handled
 * it, one task per context per committed group; callers on other threads complete on the store's
 * thread as before.
 */
public final class EventLoopExecutors implements CallerExecutors {
    @Override
    public Executor current() {
        Context context = Vertx.currentContext();
        return context == null ? null : new OnContext(context);
    }

    /** Runs tasks on one context; equal for equal contexts, so a group's completions share one task. */
    private record OnContext(Context context) implements Executor {
        @Override
        public void execute(Runnable task) {
            context.runOnContext(ignored -> task.run());
        }
    }
}
