package io.agentrelay.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code http_server_requests_seconds} of one route: a timer per status the route answered, made on
 * a status's first use. The tags are the route's method and template, never the request's own path,
 * so the number of series is bounded by the routes the relay has.
 */
public final class RouteTimer {
    private final MeterRegistry registry;
    private final String method;
    private final String uri;
    private final ConcurrentHashMap<Integer, Timer> byStatus = new ConcurrentHashMap<>();

    RouteTimer(MeterRegistry registry, String method, String uri) {
        this.registry = registry;
        this.method = method;
        this.uri = uri;
    }

    /** One request answered with {@code status} after {@code nanos}. */
    public void record(int status, long nanos) {
        Timer timer = byStatus.get(status);
        if (timer == null) {
            timer = byStatus.computeIfAbsent(status, this::timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(int status) {
        return Timer.builder("http.server.requests").description("API requests by route and status")
                .tags("method", method, "uri", uri, "status", Integer.toString(status), "outcome", outcome(status))
                .register(registry);
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }
}
