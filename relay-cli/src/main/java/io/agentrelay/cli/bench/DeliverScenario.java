package io.agentrelay.cli.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Delivery latency: one agent subscribed over SSE and over WebSocket; after a warm-up and the JIT
 * settling, messages are sent open loop at {@link #RATE} msg/s and then at the maximum (64
 * closed-loop senders). Latency is from just before the send to the frame's arrival, both clocks in
 * this JVM. Sent through the first node and received on the last, so with several nodes it is
 * cross-node latency.
 */
final class DeliverScenario implements Scenario {
    /** The offered rate at which delivery latency is measured, messages per second. */
    static final int RATE = 1_000;
    private static final String LISTENER = "bench-listener";

    @Override
    public String name() {
        return "deliver";
    }

    @Override
    public ScenarioResult run(BenchRun run) throws Exception {
        run.register(LISTENER, List.of());
        Endpoint listening = run.cluster().get(run.cluster().size() - 1);
        // The streams record on the bench's event loops while this thread starts and ends the
        // measured intervals: a Recorder hands over each interval's histogram without a race.
        Recorder sse = new Recorder(3);
        Recorder ws = new Recorder(3);
        AtomicLong sseCount = new AtomicLong();
        AtomicLong wsCount = new AtomicLong();
        try (Load load = run.loadOnFirstNode(64); Listeners listeners = new Listeners(run.vertx(), listening, 4)) {
            await(listeners.sse("?agentId=" + LISTENER + "&types=message.new", frame -> arrived(frame, sseCount, sse)));
            await(listeners.webSocket("{\"type\":\"hello\",\"subscriptions\":{\"agents\":[\"" + LISTENER
                    + "\"],\"types\":[\"message.new\"]}}", frame -> arrived(frame, wsCount, ws)));
            // Warm-up (the JIT and the stream paths), then the JIT must go quiet: unmeasured seconds
            // at the measured rate until then.
            long delivered = load.closedLoop(16, run.step() / 2, "/api/messages", n -> Bodies.timed(LISTENER)).ok();
            awaitDeliveries(sseCount, wsCount, delivered, "during warm-up");
            long[] settling = {delivered};
            JitSettle.Settled settled = JitSettle.settle(run, "at 1,000 msg/s", () -> {
                settling[0] += paced(run, load, RATE, new ConcurrentHistogram(3));
                awaitDeliveries(sseCount, wsCount, settling[0], "while the JIT settles");
            });
            delivered = settling[0];
            sse.reset();
            ws.reset();
            Histogram acks = new ConcurrentHistogram(3);
            long accepted = paced(run, load, (long) (RATE * run.step()), acks);
            awaitDeliveries(sseCount, wsCount, delivered + accepted, "at 1,000 msg/s");
            Latency ack = Latency.of(acks);
            Latency paced = Latency.of(sse.getIntervalHistogram());
            Latency pacedWs = Latency.of(ws.getIntervalHistogram());
            BenchRun.progress(String.format("   at 1,000 msg/s: send acknowledged p50 %s ms p99 %s ms",
                    Report.fmt(ack.p50Ms()), Report.fmt(ack.p99Ms())));
            BenchRun.progress(String.format("   at 1,000 msg/s: SSE p50 %s ms p99 %s ms | WS p50 %s ms p99 %s ms",
                    Report.fmt(paced.p50Ms()), Report.fmt(paced.p99Ms()), Report.fmt(pacedWs.p50Ms()),
                    Report.fmt(pacedWs.p99Ms())));
            // Maximum: 64 closed-loop senders.
            long before = sseCount.get();
            long beforeWs = wsCount.get();
            Load.Result max = load.closedLoop(64, run.step(), "/api/messages", n -> Bodies.timed(LISTENER));
            awaitCount(sseCount, before + max.ok(), "SSE deliveries at maximum rate");
            awaitCount(wsCount, beforeWs + max.ok(), "WebSocket deliveries at maximum rate");
            Latency atMax = Latency.of(sse.getIntervalHistogram());
            Latency atMaxWs = Latency.of(ws.getIntervalHistogram());
            BenchRun.progress(String.format("   at max (%d msg/s): SSE p50 %s ms p99 %s ms", Math.round(max.perSecond()),
                    Report.fmt(atMax.p50Ms()), Report.fmt(atMax.p99Ms())));
            return new ScenarioResult.Deliver(settled.seconds(), settled.quiet(), ack, paced, pacedWs,
                    Math.round(max.perSecond()), atMax, atMaxWs);
        }
    }

    private static void arrived(String frame, AtomicLong count, Recorder latency) {
        long micros = Bodies.microsSinceSent(frame);
        if (micros > 0) {
            latency.recordValue(micros);
        }
        count.incrementAndGet();
    }

    /**
     * Open-loop sends at {@link #RATE}, one every millisecond, {@code count} in all; each accepted
     * send's acknowledgement latency goes to {@code acks}. A send that falls behind the schedule goes
     * out at once, so the rate holds on average. Returns, once all were answered, how many the relay
     * accepted (2xx): only those can be delivered. A refused send is reported.
     */
    private static long paced(BenchRun run, Load load, long count, Histogram acks) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicReference<String> refusal = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long begin = System.nanoTime();
        long timer = run.vertx().setPeriodic(1, id -> {
            long due = Math.min(count, (System.nanoTime() - begin) * RATE / 1_000_000_000L + 1);
            while (sent.get() < due) {
                sent.incrementAndGet();
                long at = System.nanoTime();
                load.call(HttpMethod.POST, "/api/messages", Bodies.timed(LISTENER)).onComplete(result -> {
                    if (result.succeeded() && result.result() / 100 == 2) {
                        accepted.incrementAndGet();
                        acks.recordValue(Math.max(1, (System.nanoTime() - at) / 1_000));
                    } else {
                        refusal.compareAndSet(null, result.succeeded() ? "HTTP " + result.result()
                                : String.valueOf(result.cause()));
                    }
                    if (answered.incrementAndGet() == count) {
                        done.complete(null);
                    }
                });
            }
        });
        try {
            done.get(count / RATE + 60, TimeUnit.SECONDS);
        } finally {
            run.vertx().cancelTimer(timer);
        }
        if (refusal.get() != null) {
            BenchRun.progress("   " + (count - accepted.get()) + " of " + count + " paced sends failed, the first with "
                    + refusal.get());
        }
        return accepted.get();
    }

    private static void awaitDeliveries(AtomicLong sseCount, AtomicLong wsCount, long expected, String when)
            throws InterruptedException {
        awaitCount(sseCount, expected, "SSE deliveries " + when);
        awaitCount(wsCount, expected, "WebSocket deliveries " + when);
    }

    /** Waits (polling every 5 ms, at most 60 s) until {@code count} reaches {@code expected}. */
    static void awaitCount(AtomicLong count, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + count.get() + " of " + expected + " arrived");
            }
            Thread.sleep(5);
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
