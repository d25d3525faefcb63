package io.agentrelay.cli.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one scenario measured. Each scenario returns its own record; the report writes them as JSON
 * and the goals read them by type, so no figure is looked up by a string key.
 */
sealed interface ScenarioResult {

    /**
     * Closed-loop steps of 1, 16 and 64 clients driven from {@code loadEventLoops} event loops (one
     * per core), and the 64-client step again from one event loop, as the bench measured before
     * 2026-12-02: with one loop the load generator, not the server, bounded the baseline.
     */
    record Baseline(int loadEventLoops, Step c1, Step c16, Step c64, Step c64OneLoop) implements ScenarioResult {
    }

    /** Durable sends, measured like {@link Baseline} so that the two divide. */
    record Send(int loadEventLoops, Step c1, Step c16, Step c64, Step c64OneLoop) implements ScenarioResult {
    }

    /** Delivery latency to one SSE and one WebSocket subscriber, paced and at the maximum rate. */
    record Deliver(int jitSettleSeconds, boolean jitQuiet, Latency at1000PerSecondSendAck, Latency at1000PerSecondSse,
                   Latency at1000PerSecondWs, long maxRatePerSecond, Latency atMaxSse, Latency atMaxWs)
            implements ScenarioResult {
    }

    /**
     * Broadcasts to {@code streams} subscribers, then idle streams opened up to the target and the
     * relay's resident memory with them (null when the bench did not start the relay).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Fanout(int jitSettleSeconds, boolean jitQuiet, int streams, int broadcasts, Latency allReceived,
                  int idleStreamsTarget, int idleStreams, Long relayRssWithIdleStreamsMb, String idleStreamsStopped,
                  String threadDumpAtStall) implements ScenarioResult {
    }

    /** The median of the measured claim races, and what every round's check counted. */
    record Claims(int claimers, int messagesPerRound, int rounds, long claimsPerSecond,
                  List<Long> claimsPerSecondRounds, long attempts, long conflicts409, long errors, long doubleClaims,
                  long unclaimed) implements ScenarioResult {
    }

    /** Times from process start to the first 200, each list sorted, and how the big store was filled. */
    record Startup(List<Long> emptyStoreMs, int filledMessages, double fillSeconds, List<Long> filledStoreMs,
                   List<Long> afterKillMs) implements ScenarioResult {

        static long median(List<Long> sorted) {
            return sorted.get(sorted.size() / 2);
        }
    }
}
