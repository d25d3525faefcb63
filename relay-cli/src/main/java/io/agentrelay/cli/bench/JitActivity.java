package io.agentrelay.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time spent by a JVM's JIT compiler threads, read from Linux's {@code /proc}: the bench waits
 * for it to go quiet before it measures latency, because on two cores a C2 compiler thread still
 * busy with the code under test takes a core's worth of time slices from the threads being timed.
 * Empty where {@code /proc} is not available, and the bench then warms up for a fixed time only.
 */
final class JitActivity {
    private JitActivity() {
    }

    /** Nanoseconds of CPU the compiler threads of process {@code pid} have used so far. */
    static OptionalLong compilerCpuNanos(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return OptionalLong.empty();
        }
        long total = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"...; comm keeps 15 characters.
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        // schedstat: time on the CPU in ns, time waiting to run, time slices.
                        total += Long.parseLong(Files.readString(thread.resolve("schedstat")).trim().split(" ")[0]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read: its time no longer counts
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total);
    }
}
