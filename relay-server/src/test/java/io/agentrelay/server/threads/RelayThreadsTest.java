package io.agentrelay.server.threads;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayThreadsTest {
    @TempDir
    Path dir;

    @Test
    void anUncaughtExceptionIsLoggedWithTheThreadsName() throws Exception {
        List<Thread> threads = List.of(
                RelayThreads.daemon("relay-test-single").newThread(fail("first")),
                RelayThreads.daemons("relay-test-pool-").newThread(fail("second")),
                RelayThreads.virtual("relay-test-virtual-").newThread(fail("third")),
                RelayThreads.daemon("relay-test-unstarted", fail("fourth")),
                RelayThreads.lasting("relay-test-lasting", fail("fifth")));

        String log = stderrOf(() -> {
            for (Thread thread : threads) {
                thread.start();
                // The handler runs on the dying thread before it terminates, so join waits for it.
                thread.join();
            }
        });

        assertThat(log).contains("uncaught exception in thread relay-test-single", "boom first")
                .contains("uncaught exception in thread relay-test-pool-1", "boom second")
                .contains("uncaught exception in thread relay-test-virtual-0 (virtual)", "boom third")
                .contains("uncaught exception in thread relay-test-unstarted", "boom fourth")
                .contains("uncaught exception in thread relay-test-lasting", "boom fifth");
    }

    @Test
    void threadsAreNamedAndOnlyTheLastingOnesHoldTheJvm() {
        ThreadFactory pool = RelayThreads.daemons("relay-test-read-");
        Thread first = pool.newThread(() -> { });
        Thread second = pool.newThread(() -> { });

        assertThat(List.of(first.getName(), second.getName())).containsExactly("relay-test-read-1", "relay-test-read-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(RelayThreads.daemon("relay-test-notify").newThread(() -> { }).isDaemon()).isTrue();
        assertThat(RelayThreads.lasting("relay-test-writer", () -> { }).isDaemon()).isFalse();
        assertThat(RelayThreads.virtual("relay-test-v-").newThread(() -> { }).isVirtual()).isTrue();
    }

    @Test
    void everyThreadOfARunningRelayHasTheOneHandler() {
        try (TestRelay relay = TestRelay.start(dir)) {
            relay.register("alice");
            Set<Thread> all = Thread.getAllStackTraces().keySet();
            List<Thread> relayThreads = all.stream()
                    .filter(thread -> thread.getName().startsWith("relay-") && !thread.getName().startsWith("relay-test-"))
                    .toList();

            assertThat(relayThreads).extracting(Thread::getName).contains("relay-writer", "relay-notify", "relay-tailer");
            assertThat(relayThreads).allSatisfy(thread ->
                    assertThat(thread.getUncaughtExceptionHandler()).as(thread.getName()).isSameAs(RelayThreads.LOG_UNCAUGHT));
            // Vert.x's event loops (Netty's) are made by the relay's factory too.
            assertThat(all).filteredOn(thread -> thread.getName().startsWith("vert.x-eventloop-thread"))
                    .anySatisfy(thread -> assertThat(thread.getUncaughtExceptionHandler()).isSameAs(RelayThreads.LOG_UNCAUGHT));
        }
    }

    private static Runnable fail(String which) {
        return () -> {
            throw new IllegalStateException("boom " + which);
        };
    }

    private interface Step {
        void run() throws Exception;
    }

    /** What slf4j-simple (configured to write to System.err) logged while {@code step} ran. */
    private static String stderrOf(Step step) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            step.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
