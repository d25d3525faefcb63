package io.agentrelay.cli.bench;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unmeasured rounds of a scenario's load (each about a second) until the JIT compilers of both the
 * relay and this JVM used at most {@link #QUIET_JIT_NANOS} in a round, or {@link #MAX_ROUNDS} rounds
 * passed (one in a smoke run). On two cores a compiler thread still busy with the code under test
 * takes time slices from the threads being timed (docs/performance.md, "Fourth session: the delivery
 * tail was the JIT"). A relay the bench did not
 * start cannot be watched: only this JVM's JIT is waited for then.
 */
final class JitSettle {
    /** Compiler CPU per one-second round below which a JVM's JIT counts as settled: 2% of a core. */
    static final long QUIET_JIT_NANOS = 20_000_000L;
    /** At most this many settling rounds (seconds) before the step is measured regardless. */
    static final int MAX_ROUNDS = 30;

    /** How long settling took and whether the JIT went quiet in that time. */
    record Settled(int seconds, boolean quiet) {
    }

    /** One unmeasured round of a scenario's load, about a second long. */
    @FunctionalInterface
    interface Round {
        void run() throws Exception;
    }

    private JitSettle() {
    }

    static Settled settle(BenchRun run, String what, Round round) throws Exception {
        ChildRelay relay = run.own();
        List<Long> watched = relay == null ? List.of(ProcessHandle.current().pid())
                : List.of(ProcessHandle.current().pid(), relay.pid());
        int rounds = 0;
        boolean quiet = false;
        while (!quiet && rounds < (run.smoke() ? 1 : MAX_ROUNDS)) {
            List<Optional<Map<String, Long>>> before = watched.stream().map(JitActivity::compilerCpuNanos).toList();
            round.run();
            rounds++;
            List<Optional<Map<String, Long>>> after = watched.stream().map(JitActivity::compilerCpuNanos).toList();
            if (before.stream().anyMatch(Optional::isEmpty) || after.stream().anyMatch(Optional::isEmpty)) {
                break; // no /proc: the warm-up and this one round are all there is
            }
            quiet = true;
            for (int i = 0; i < watched.size(); i++) {
                quiet &= JitActivity.between(before.get(i).get(), after.get(i).get()) <= QUIET_JIT_NANOS;
            }
        }
        BenchRun.progress("   JIT " + (quiet ? "quiet" : "still compiling") + " after " + rounds + " s " + what
                + " (unmeasured)" + (relay == null ? "; the relay's own JIT is not watched (not started by the bench)" : ""));
        return new Settled(rounds, quiet);
    }
}
