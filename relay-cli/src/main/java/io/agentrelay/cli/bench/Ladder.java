package io.agentrelay.cli.bench;

import io.vertx.core.buffer.Buffer;
import java.util.function.LongFunction;

/**
 * The closed-loop steps the baseline and the send scenario share, so that their figures divide: a
 * warm-up, then 1, 16 and 64 clients from every event loop, then 64 clients from one event loop.
 */
final class Ladder {
    /** The figures of one ladder; {@code loops} is how many event loops drove the all-loop steps. */
    record Steps(int loops, Step c1, Step c16, Step c64, Step c64OneLoop) {
    }

    private Ladder() {
    }

    static Steps climb(Load load, int loops, double seconds, String path, LongFunction<Buffer> bodies) throws Exception {
        load.closedLoop(64, seconds / 2, path, bodies); // warm-up
        Step c1 = measured(load.closedLoop(1, seconds, path, bodies), "1 client");
        Step c16 = measured(load.closedLoop(16, seconds, path, bodies), "16 clients");
        Step c64 = measured(load.closedLoop(64, seconds, path, bodies), "64 clients, " + loops + " event loops");
        Step oneLoop = measured(load.closedLoop(64, 1, seconds, path, bodies), "64 clients, 1 event loop");
        return new Steps(loops, c1, c16, c64, oneLoop);
    }

    private static Step measured(Load.Result result, String what) {
        Step step = Step.of(result);
        BenchRun.progress(String.format("   %-26s %7d req/s  p50 %s ms  p99 %s ms  (%d failed)", what + ":",
                step.requestsPerSecond(), Report.fmt(step.latency().p50Ms()), Report.fmt(step.latency().p99Ms()),
                step.failed()));
        return step;
    }
}
