package io.agentrelay.client;

import io.agentrelay.api.RelayEvent;
import java.time.Duration;

/**
 * Receives a live stream's events. All callbacks run on the stream's own thread, one at a time
 * and in event-id order; a slow callback delays the stream (the relay cuts a stream that falls too
 * far behind, and the stream then resumes where it was). A callback that throws is logged and the
 * stream goes on.
 */
@FunctionalInterface
public interface EventListener {

    /** One event, delivered once, in id order, across reconnects. */
    void onEvent(RelayEvent event);

    /** The stream is (re)connected and will deliver events with ids above {@code resumedAfter}. */
    default void onConnected(long resumedAfter) {
    }

    /**
     * The connection ended. {@code retryIn} is the delay before the next attempt, or null when the
     * stream gives up because the relay refused it (for example 401: a wrong token); {@code cause}
     * is null when the relay ended the stream cleanly (it is shutting down, or cut a slow reader).
     */
    default void onDisconnected(Throwable cause, Duration retryIn) {
    }
}
