package io.agentrelay.server.tasks;

import io.agentrelay.server.errors.RelayError;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per integration: {@code perMinute} requests of burst, refilled continuously at
 * {@code perMinute} per minute. Time comes from the injected clock, so tests move it instead of
 * waiting. Thread-safe: bucket4j's local buckets are lock-free.
 */
final class RateLimits {
    private final int perMinute;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimits(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Takes one token for {@code key}, or throws {@link RelayError.RateLimited} saying when to come back. */
    void acquire(String key) {
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                        .withCustomTimePrecision(time)
                        .build())
                .tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new RelayError.RateLimited("integration " + key + " exceeded its rate limit of " + perMinute
                    + " events per minute; retry after " + seconds + " s", seconds);
        }
    }
}
