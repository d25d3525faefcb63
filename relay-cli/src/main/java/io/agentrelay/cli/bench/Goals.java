package io.agentrelay.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The performance brief's goals as data: each bound is a component, and the goal table's wording is
 * made from it, so a changed bound changes the check and its text together.
 *
 * <p>The send goal compares with the baseline as it was measured when the goal was set, from one
 * event loop of the bench ({@code c64OneLoop}); the ratio to the baseline driven from every core
 * (what the server can do on this machine) is reported next to it.
 */
record Goals(double sendShareOfBaseline, long sendPerSecond, double deliverP50Ms, double deliverP99Ms,
             double fanoutP99Ms, int idleStreams, long idleStreamsRssMb, long idleRssMb, long claimsPerSecond,
             long startEmptyMs, long startFilledMs) {

    /** The bounds of the performance brief (issue 6). */
    static final Goals BRIEF = new Goals(0.40, 20_000, 1, 5, 100, 10_000, 512, 200, 5_000, 1_500, 3_000);

    /** One goal of the table: what it asks, what this run measured, and whether that meets it (null: not judged). */
    record Verdict(String goal, String measured, Boolean met) {
    }

    /** The goals the results speak to; goals about timing are not judged in a smoke run. */
    List<Verdict> judge(Results results, boolean smoke) {
        List<Verdict> verdicts = new ArrayList<>();
        if (results.send() != null) {
            verdicts.add(send(results.send(), results.baseline()));
        }
        if (results.deliver() != null) {
            verdicts.add(deliver("SSE", results.deliver().at1000PerSecondSse()));
            verdicts.add(deliver("WS", results.deliver().at1000PerSecondWs()));
        }
        if (results.fanout() != null) {
            ScenarioResult.Fanout fanout = results.fanout();
            verdicts.add(new Verdict("broadcast to 1,000 SSE + 1,000 WebSocket: p99 <= " + count(fanoutP99Ms) + " ms",
                    "p99 " + Report.fmt(fanout.allReceived().p99Ms()) + " ms over " + fanout.streams() + " streams",
                    smoke ? null : fanout.allReceived().p99Ms() <= fanoutP99Ms));
            if (fanout.relayRssWithIdleStreamsMb() != null) {
                boolean allOpen = fanout.idleStreams() >= idleStreams;
                verdicts.add(new Verdict(count(idleStreams) + " idle streams within " + idleStreamsRssMb + " MB RSS",
                        fanout.relayRssWithIdleStreamsMb() + " MB with " + fanout.idleStreams() + " streams",
                        (smoke || !allOpen) ? null : fanout.relayRssWithIdleStreamsMb() <= idleStreamsRssMb));
            }
        }
        if (results.relayIdleRssMb() != null) {
            verdicts.add(new Verdict("relay idle RSS <= " + idleRssMb + " MB", results.relayIdleRssMb() + " MB",
                    results.relayIdleRssMb() <= idleRssMb));
        }
        if (results.claims() != null) {
            ScenarioResult.Claims claims = results.claims();
            verdicts.add(new Verdict("claims: >= " + count((double) claimsPerSecond) + "/s with zero double claims",
                    claims.claimsPerSecond() + " claims/s (median of " + claims.rounds() + " rounds), "
                            + claims.doubleClaims() + " double claims",
                    claims.claimsPerSecond() >= claimsPerSecond && claims.doubleClaims() == 0));
        }
        if (results.startup() != null) {
            verdicts.add(startup(results.startup(), smoke));
        }
        return verdicts;
    }

    private Verdict send(ScenarioResult.Send send, ScenarioResult.Baseline baseline) {
        String goal = "durable send, 64 clients: >= " + Math.round(sendShareOfBaseline * 100) + "% of baseline (one "
                + "event loop of load, as the goal was set) and >= " + count((double) sendPerSecond) + " msg/s";
        long rate = send.c64().requestsPerSecond();
        if (baseline == null) {
            return new Verdict(goal, rate + " msg/s (no baseline in this run)", null);
        }
        long oneLoop = send.c64OneLoop().requestsPerSecond();
        long baseOneLoop = baseline.c64OneLoop().requestsPerSecond();
        long baseAll = baseline.c64().requestsPerSecond();
        String measured = rate + " msg/s: " + share(rate, baseAll) + " of baseline " + baseAll + " (" + baseline.loadEventLoops()
                + " event loops of load); from one event loop " + oneLoop + " msg/s, " + share(oneLoop, baseOneLoop)
                + " of baseline " + baseOneLoop;
        boolean met = baseOneLoop > 0 && oneLoop >= sendShareOfBaseline * baseOneLoop && rate >= sendPerSecond;
        return new Verdict(goal, measured, met);
    }

    private Verdict deliver(String kind, Latency at) {
        return new Verdict("deliver at 1,000 msg/s (" + kind + "): p50 <= " + Report.fmt(deliverP50Ms) + " ms, p99 <= "
                + Report.fmt(deliverP99Ms) + " ms", "p50 " + Report.fmt(at.p50Ms()) + " ms, p99 " + Report.fmt(at.p99Ms())
                + " ms", at.p50Ms() <= deliverP50Ms && at.p99Ms() <= deliverP99Ms);
    }

    private Verdict startup(ScenarioResult.Startup startup, boolean smoke) {
        long empty = ScenarioResult.Startup.median(startup.emptyStoreMs());
        long full = ScenarioResult.Startup.median(startup.filledStoreMs());
        long recovery = ScenarioResult.Startup.median(startup.afterKillMs());
        // Recovery counts as a start with the million messages: the same store, plus a WAL to replay.
        return new Verdict("start-up: <= " + Report.fmt(startEmptyMs / 1000.0) + " s empty, <= "
                + Report.fmt(startFilledMs / 1000.0) + " s with " + count(startup.filledMessages())
                + " messages (also after kill -9)",
                empty + " ms empty, " + full + " ms with " + startup.filledMessages() + " messages, " + recovery
                        + " ms after kill -9",
                smoke ? null : empty <= startEmptyMs && full <= startFilledMs && recovery <= startFilledMs);
    }

    private static String share(long part, long whole) {
        return whole > 0 ? Report.fmt(100.0 * part / whole) + "%" : "n/a";
    }

    private static String count(double value) {
        return String.format(java.util.Locale.ROOT, "%,d", Math.round(value));
    }
}
