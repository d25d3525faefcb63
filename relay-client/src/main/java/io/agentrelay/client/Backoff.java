package io.agentrelay.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] where
 * d = min(max, initial * 2^n), so clients cut off together do not reconnect together. Confined to
 * one thread.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private int attempts;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    Duration next() {
        long ceiling = initialMillis;
        for (int i = 0; i < attempts && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxMillis);
        attempts++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    void reset() {
        attempts = 0;
    }
}
