package io.agentrelay.client;

import java.time.Duration;

/**
 * How a live stream starts and reconnects. Start from {@link #DEFAULTS}.
 *
 * @param resumeAfter deliver events with ids above this one (the last id a previous stream saw);
 *     null starts at the relay's newest event when {@link Events#subscribe} is called
 * @param initialBackoff the first reconnect delay; doubled after each failed attempt
 * @param maxBackoff the largest reconnect delay
 * @param idleTimeout a connection silent this long (no event, no keep-alive comment) is presumed
 *     dead and replaced; keep it above the relay's {@code AGENT_RELAY_SSE_HEARTBEAT_MS} (15 s)
 */
public record StreamOptions(Long resumeAfter, Duration initialBackoff, Duration maxBackoff, Duration idleTimeout) {
    public static final StreamOptions DEFAULTS =
            new StreamOptions(null, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60));

    public StreamOptions {
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("idleTimeout", idleTimeout);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
        }
        if (resumeAfter != null && resumeAfter < 0) {
            throw new IllegalArgumentException("resumeAfter must be 0 or more");
        }
    }

    public StreamOptions withResumeAfter(long eventId) {
        return new StreamOptions(eventId, initialBackoff, maxBackoff, idleTimeout);
    }

    public StreamOptions withBackoff(Duration initial, Duration max) {
        return new StreamOptions(resumeAfter, initial, max, idleTimeout);
    }

    public StreamOptions withIdleTimeout(Duration value) {
        return new StreamOptions(resumeAfter, initialBackoff, maxBackoff, value);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
