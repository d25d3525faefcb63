package io.agentrelay.cli.bench;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in microseconds, reported in milliseconds. */
record Latency(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

    static Latency of(Histogram micros) {
        return new Latency(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    /** Microseconds to milliseconds with two decimals. */
    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
