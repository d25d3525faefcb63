package io.agentrelay.cli.bench;

import java.util.List;

/** One thing the bench measures. A scenario sets up what it needs, measures, and says what it saw. */
interface Scenario {
    /** Every scenario, in the order a full run goes through them. */
    List<Scenario> ALL = List.of(new BaselineScenario(), new SendScenario(), new DeliverScenario(),
            new FanoutScenario(), new ClaimsScenario(), new StartupScenario());

    /** The name {@code --only} takes and the report uses. */
    String name();

    /**
     * Whether the scenario runs by default against a relay the bench did not start (a {@code --url}
     * or a PostgreSQL cluster): the baseline and start-up measure this machine and this build.
     */
    default boolean measuresTheRelay() {
        return true;
    }

    /** Runs the scenario; a failure (exception or failed check) fails only this scenario. */
    ScenarioResult run(BenchRun run) throws Exception;

    static Scenario named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    static List<String> names() {
        return ALL.stream().map(Scenario::name).toList();
    }
}
