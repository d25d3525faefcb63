package io.agentrelay.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time spent by a JVM's JIT compiler threads, read from Linux's {@code /proc}: the bench waits
 * for it to go quiet before it measures latency, because on two cores a C2 compiler thread still
 * busy with the code under test takes a core's worth of time slices from the threads being timed.
 * Empty where {@code /proc} is not available, and the bench then warms up for a fixed time only.
 */
final class JitActivity {
    private JitActivity() {
    }

    /**
     * CPU nanoseconds each compiler thread of process {@code pid} has used so far, by thread id.
     * HotSpot starts and stops extra compiler threads as the queue grows and drains, so activity
     * is the sum of per-thread differences ({@link #between}), never a difference of sums.
     */
    static Optional<Map<String, Long>> compilerCpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return Optional.empty();
        }
        Map<String, Long> byThread = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1" (Graal: "JVMCI
                    // CompilerThread0"); comm keeps 15 characters.
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.contains("CompilerT")) {
                        // schedstat: time on the CPU in ns, time waiting to run, time slices.
                        byThread.put(thread.getFileName().toString(),
                                Long.parseLong(Files.readString(thread.resolve("schedstat")).trim().split(" ", -1)[0]));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: it is simply not counted
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(byThread);
    }

    /**
     * Compiler CPU used between two readings: a thread present in both counts its difference, a
     * thread started in between counts in full, a thread gone in between is not counted.
     */
    static long between(Map<String, Long> before, Map<String, Long> after) {
        long total = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            total += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }
}
