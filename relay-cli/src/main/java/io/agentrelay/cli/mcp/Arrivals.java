package io.agentrelay.cli.mcp;

import io.agentrelay.api.RelayEvent;
import io.agentrelay.client.EventFilter;
import io.agentrelay.client.EventListener;
import java.util.concurrent.TimeUnit;

/**
 * Counts new messages for this agent as the live stream delivers them, so {@code wait_for_message}
 * can sleep until one arrives. Waiters take the count <em>before</em> they look at the inbox and
 * then wait for it to move: a message that lands between the look and the wait still wakes them.
 * Thread-safe (monitor).
 */
final class Arrivals implements EventListener {
    private final String self;
    private long count;
    private boolean closed;

    Arrivals(String self) {
        this.self = self;
    }

    @Override
    public synchronized void onEvent(RelayEvent event) {
        if (EventFilter.MESSAGE_NEW.equals(event.type()) && !self.equals(event.data().path("from").asText())) {
            count++;
            notifyAll();
        }
    }

    synchronized long count() {
        return count;
    }

    /** Ends every wait, now and later: the server is closing and its answers are due. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /**
     * Waits until the count moves past {@code seen}, the deadline ({@link System#nanoTime()})
     * passes or {@link #close()} is called.
     */
    synchronized boolean awaitBeyond(long seen, long deadline) throws InterruptedException {
        while (count == seen && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return count != seen;
    }
}
