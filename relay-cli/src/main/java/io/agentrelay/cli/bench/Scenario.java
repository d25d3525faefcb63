package io.agentrelay.cli.bench;

/**
 * One thing the bench measures. A scenario sets up what it needs, measures, and says what it saw.
 * {@link Scenarios} lists them all.
 */
interface Scenario {
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
}
