package io.agentrelay.jmh;

import io.agentrelay.server.metrics.RelayMetrics;
import io.agentrelay.server.metrics.RouteTimer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code /metrics} adds to every API request: one {@link RouteTimer#record} (a status lookup
 * and a Micrometer timer's count, total and max), from two threads at once as two event loops
 * would. The relay's send costs hundreds of microseconds of CPU; this is to be read against that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class RouteTimerBenchmark {
    private RelayMetrics metrics;
    private RouteTimer sends;
    private long nanos;

    @Setup(Level.Trial)
    public void setUp() {
        metrics = new RelayMetrics();
        sends = metrics.route("POST", "/api/messages");
        sends.record(400, 1_000);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void recordARequest() {
        nanos += 17;
        sends.record(201, 250_000 + (nanos & 1023));
    }
}
