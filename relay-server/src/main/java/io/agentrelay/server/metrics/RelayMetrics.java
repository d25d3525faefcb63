package io.agentrelay.server.metrics;

import io.agentrelay.server.events.LogHead;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.WriterCounts;
import io.agentrelay.server.system.Stats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The relay's metrics, served as Prometheus text at {@code /metrics} (docs/api.md lists
 * them): the JVM's and the process's, each API route's requests by status and their time, the
 * store's writer, the event log's head, the open streams and the edge's refusals. One registry per
 * relay (tests run several relays in one JVM). Nothing here is on a hot path but
 * {@link RouteTimer#record}, a map lookup and an addition.
 */
public final class RelayMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public RelayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** What the relay knows of itself: its version and store, its writer, its log and its edge. */
    public void watch(Stats stats, Store store, LogHead head) {
        Gauge.builder("relay.info", () -> 1).description("Always 1; the labels say which relay this is")
                .tags(Tags.of("version", Stats.VERSION, "store", store.kind(), "instance", stats.instanceId()))
                .register(registry);
        Gauge.builder("relay.store.writable", () -> store.writeProblem() == null ? 1 : 0)
                .description("1 while the store accepts writes, 0 while they fail (see /api/health)").register(registry);
        Gauge.builder("relay.events.head", head::position)
                .description("The id of the newest event in the log this relay has read").register(registry);
        writerCounter("relay.store.transactions", "Write transactions committed by this relay", WriterCounts::groups, store);
        writerCounter("relay.store.writes", "Writes (units of work) in those transactions and in failed ones",
                WriterCounts::writes, store);
        writerCounter("relay.store.failed.transactions", "Write transactions that could not commit (their writes refused)",
                WriterCounts::failedGroups, store);
        writerCounter("relay.store.transaction.seconds", "Time spent in write transactions",
                counts -> counts.commitNanos() / 1e9, store);
        FunctionCounter.builder("relay.http.aborted.requests", stats, Stats::abortedRequests)
                .description("Requests whose client went away before sending all of it").register(registry);
        FunctionCounter.builder("relay.http.timed.out.connections", stats, Stats::timedOutConnections)
                .description("Connections closed for a missed header, body or idle deadline").register(registry);
        FunctionCounter.builder("relay.http.refused.connections", stats, Stats::refusedConnections)
                .description("Connections and bodies refused for a cap").register(registry);
    }

    private void writerCounter(String name, String description, ToDoubleFunction<WriterCounts> count, Store store) {
        FunctionCounter.builder(name, store, s -> count.applyAsDouble(s.writerCounts())).description(description)
                .register(registry);
    }

    /** The number of live SSE and WebSocket streams, as {@code streams} tells it. */
    public void watchStreams(IntSupplier streams) {
        Gauge.builder("relay.streams.open", streams::getAsInt).description("Live SSE and WebSocket streams")
                .register(registry);
    }

    /** The timer of one API route ({@code uri} is its template, as registered: {@code /api/agents/:id}). */
    public RouteTimer route(String method, String uri) {
        return new RouteTimer(registry, method, uri);
    }

    /**
     * Everything, in the format {@code accept} asks for: OpenMetrics when it names
     * {@code application/openmetrics-text}, else Prometheus text 0.0.4.
     */
    public Scrape scrape(String accept) {
        String type = accept != null && accept.contains("application/openmetrics-text")
                ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                : "text/plain; version=0.0.4; charset=utf-8";
        return new Scrape(type, registry.scrape(type));
    }

    /** A scrape's body and its content type. */
    public record Scrape(String contentType, String text) {
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
