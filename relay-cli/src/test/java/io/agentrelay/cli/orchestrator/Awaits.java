package io.agentrelay.cli.orchestrator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for what a process outside the test does (a file it writes, a state tmux reports), which
 * no event announces: checked every 20 ms until true or the deadline, which fails the test.
 */
final class Awaits {
    private Awaits() {
    }

    static void file(Path file, Duration within) throws InterruptedException {
        condition(() -> Files.exists(file), within);
    }

    /** The {@code env -0} listing a process wrote to {@code file}, once it is there. */
    static java.util.Map<String, String> environment(Path file) throws java.io.IOException, InterruptedException {
        file(file, Duration.ofSeconds(20));
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String entry : Files.readString(file).split("\0", -1)) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }

    static void condition(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not so within " + within);
            }
            Thread.sleep(20);
        }
    }
}
