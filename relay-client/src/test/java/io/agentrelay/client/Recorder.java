package io.agentrelay.client;

import io.agentrelay.api.RelayEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link EventListener} that queues what it receives for a test to await. */
class Recorder implements EventListener {
    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<RelayEvent> events = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> connects = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> disconnects = new LinkedBlockingQueue<>();
    volatile Duration lastRetryIn;

    @Override
    public void onEvent(RelayEvent event) {
        events.add(event);
    }

    @Override
    public void onConnected(long resumedAfter) {
        connects.add(resumedAfter);
    }

    @Override
    public void onDisconnected(Throwable cause, Duration retryIn) {
        lastRetryIn = retryIn;
        disconnects.add(cause == null ? new RuntimeException("clean end") : cause);
    }

    /** The next {@code count} events, waiting at most {@link #WAIT} in all. */
    List<RelayEvent> take(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<RelayEvent> out = new ArrayList<>();
        while (out.size() < count) {
            RelayEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                break;
            }
            out.add(event);
        }
        return out;
    }

    Long awaitConnect() throws InterruptedException {
        return connects.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    Throwable awaitDisconnect() throws InterruptedException {
        return disconnects.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }
}
