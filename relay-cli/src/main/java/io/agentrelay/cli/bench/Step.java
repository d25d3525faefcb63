package io.agentrelay.cli.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One closed-loop step: the rate of 2xx answers, the failures, and the latency of the 2xx ones. */
record Step(long requestsPerSecond, long ok, long failed, @JsonUnwrapped Latency latency) {

    static Step of(Load.Result result) {
        return new Step(Math.round(result.perSecond()), result.ok(), result.failed(), Latency.of(result.latencyMicros()));
    }
}
