package io.agentrelay.server.callbacks;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * When to try a failed callback again: exponential, doubling from {@link #BASE} up to {@link #CAP},
 * with "equal jitter" — half the delay fixed, half random — so that many callbacks failing together
 * (a receiver restarting) do not all come back at the same instant.
 *
 * <p>Delay before attempt n+1 after attempt n failed: between d/2 and d, d = min(CAP, BASE·2^(n-1)).
 * With the default of 10 attempts a callback is retried for about 8.5 minutes at most.
 */
final class Backoff {
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration CAP = Duration.ofMinutes(15);

    private final LongUnaryOperator random;

    /** @param random gives a value in [0, bound) for a bound; tests pass a fixed one */
    Backoff(LongUnaryOperator random) {
        this.random = random;
    }

    /** Milliseconds to wait after the {@code attempt}-th failed attempt (1-based). */
    long delayAfter(int attempt) {
        long delay = BASE.toMillis() << Math.min(attempt - 1, 30);
        delay = Math.min(delay, CAP.toMillis());
        long half = delay / 2;
        return half + random.applyAsLong(delay - half + 1);
    }
}
