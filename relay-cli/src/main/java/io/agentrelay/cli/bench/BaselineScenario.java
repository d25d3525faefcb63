package io.agentrelay.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * The ceiling: a minimal server on the relay's stack ({@link BaselineCommand}) in its own JVM,
 * driven exactly as {@link SendScenario} drives the relay, so that their ratio says what the
 * relay's own work costs on this machine, in this run.
 */
final class BaselineScenario implements Scenario {
    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public boolean measuresTheRelay() {
        return false;
    }

    @Override
    public ScenarioResult run(BenchRun run) throws Exception {
        try (ChildRelay server = ChildRelay.start(Map.of(), "bench-baseline");
             Load load = new Load(run.vertx(), run.loops(), List.of(Endpoint.local(server.awaitUrl())), 64)) {
            Ladder.Steps steps = Ladder.climb(load, run.loops().size(), run.step(), "/api/baseline",
                    n -> Bodies.note("bench", "bench-sink", n));
            return new ScenarioResult.Baseline(steps.loops(), steps.c1(), steps.c16(), steps.c64(), steps.c64OneLoop());
        }
    }
}
