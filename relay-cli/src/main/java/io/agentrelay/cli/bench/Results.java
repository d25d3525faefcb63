package io.agentrelay.cli.bench;

/**
 * Everything one run measured, by scenario: null where the scenario did not run or failed.
 * {@code relayIdleRssMb} is the relay's memory before any scenario (null for a relay the bench did
 * not start).
 */
record Results(ScenarioResult.Baseline baseline, ScenarioResult.Send send, ScenarioResult.Deliver deliver,
               ScenarioResult.Fanout fanout, ScenarioResult.Claims claims, ScenarioResult.Startup startup,
               Long relayIdleRssMb) {

    static Results none(Long relayIdleRssMb) {
        return new Results(null, null, null, null, null, null, relayIdleRssMb);
    }

    /** These results with {@code result} added. */
    Results with(ScenarioResult result) {
        return switch (result) {
            case ScenarioResult.Baseline b -> new Results(b, send, deliver, fanout, claims, startup, relayIdleRssMb);
            case ScenarioResult.Send s -> new Results(baseline, s, deliver, fanout, claims, startup, relayIdleRssMb);
            case ScenarioResult.Deliver d -> new Results(baseline, send, d, fanout, claims, startup, relayIdleRssMb);
            case ScenarioResult.Fanout f -> new Results(baseline, send, deliver, f, claims, startup, relayIdleRssMb);
            case ScenarioResult.Claims c -> new Results(baseline, send, deliver, fanout, c, startup, relayIdleRssMb);
            case ScenarioResult.Startup u -> new Results(baseline, send, deliver, fanout, claims, u, relayIdleRssMb);
        };
    }
}
