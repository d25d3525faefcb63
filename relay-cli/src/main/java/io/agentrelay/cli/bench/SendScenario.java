package io.agentrelay.cli.bench;

/**
 * Durable sends ({@code POST /api/messages}, answered after the fsync'd commit), closed loop, over
 * every node of the relay: the cluster's durable send rate.
 */
final class SendScenario implements Scenario {
    @Override
    public String name() {
        return "send";
    }

    @Override
    public ScenarioResult run(BenchRun run) throws Exception {
        try (Load load = run.load(64)) {
            Ladder.Steps steps = Ladder.climb(load, run.loops().size(), run.step(), "/api/messages",
                    n -> Bodies.note("bench", "bench-sink", n));
            return new ScenarioResult.Send(steps.loops(), steps.c1(), steps.c16(), steps.c64(), steps.c64OneLoop());
        }
    }
}
