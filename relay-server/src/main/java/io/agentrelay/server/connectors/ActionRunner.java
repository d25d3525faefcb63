package io.agentrelay.server.connectors;

import io.agentrelay.server.threads.RelayThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs one action of an installed manifest: its {@code argv} as given (no shell), in the connectors
 * folder, with an environment of {@code PATH}, {@code HOME}, the manifest's {@code env} and the
 * relay's two variables, nothing else of the relay's. The connector's config goes to the program's
 * standard input as JSON, so its secrets are never on a command line. At the action's deadline the
 * program and every process it started are killed.
 *
 * <p>Blocking: each run waits for its program. Called on a connector thread, never an event loop.
 */
final class ActionRunner {
    /** The output kept of one run: its last bytes. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;
    /** How long to wait for a killed program's output to end. */
    private static final long DRAIN_MILLIS = 5_000;

    private final Path folder;
    private final ThreadFactory pipes = RelayThreads.virtual("relay-connector-io-");
    /** The programs running now, so that closing the relay ends them rather than leaving them behind. */
    private final java.util.Set<Process> live = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ActionRunner(Path folder) {
        this.folder = folder;
    }

    /** What a run gave: {@code exitCode} null when it timed out or could not start. */
    record Outcome(Integer exitCode, String output, long durationMs, String error) {
    }

    Outcome run(Manifest manifest, Manifest.Action action, byte[] stdin, String relayUrl) {
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(action.argv()).directory(folder.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        copy("PATH", env);
        copy("HOME", env);
        env.putAll(manifest.env());
        env.put("AGENT_RELAY_URL", relayUrl);
        env.put("AGENT_RELAY_CONNECTOR_ID", manifest.id());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(null, "", millisSince(started), "cannot start " + action.argv().get(0) + ": "
                    + e.getMessage());
        }
        live.add(process);
        try {
            return await(process, action, stdin, started);
        } finally {
            live.remove(process);
        }
    }

    /** Kills every program still running (and what each started): the relay is closing. */
    void killAll() {
        live.forEach(ActionRunner::kill);
    }

    private Outcome await(Process process, Manifest.Action action, byte[] stdin, long started) {
        Tail tail = new Tail();
        Thread reader = pipes.newThread(() -> tail.drain(process.getInputStream()));
        Thread writer = pipes.newThread(() -> feed(process.getOutputStream(), stdin));
        reader.start();
        writer.start();
        boolean exited;
        try {
            exited = process.waitFor(action.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            kill(process);
        }
        try {
            reader.join(DRAIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long duration = millisSince(started);
        if (!exited) {
            return new Outcome(null, tail.text(), duration, "timed out after " + action.timeoutSeconds() + " s; killed");
        }
        return new Outcome(process.exitValue(), tail.text(), duration, null);
    }

    /** Kills the program's descendants (found before it dies, while they are still its children) and then it. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copy(String name, Map<String, String> env) {
        String value = System.getenv(name);
        if (value != null) {
            env.put(name, value);
        }
    }

    /** Writes the config, then closes the input; a program that does not read it is not an error. */
    private static void feed(OutputStream in, byte[] bytes) {
        try (in) {
            in.write(bytes);
        } catch (IOException ignored) {
            // The program exited or closed its input without reading: it did not want the config.
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The last {@value #MAX_OUTPUT_BYTES} bytes of a stream, in a ring. */
    private static final class Tail {
        private final byte[] ring = new byte[MAX_OUTPUT_BYTES];
        private long total;

        void drain(InputStream out) {
            byte[] chunk = new byte[8192];
            try (out) {
                int n;
                while ((n = out.read(chunk)) > 0) {
                    append(chunk, n);
                }
            } catch (IOException ignored) {
                // The stream closed under a killed program: what was read is kept.
            }
        }

        private synchronized void append(byte[] chunk, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % MAX_OUTPUT_BYTES)] = chunk[i];
            }
        }

        synchronized String text() {
            if (total <= MAX_OUTPUT_BYTES) {
                return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
            }
            int start = (int) (total % MAX_OUTPUT_BYTES);
            byte[] ordered = new byte[MAX_OUTPUT_BYTES];
            System.arraycopy(ring, start, ordered, 0, MAX_OUTPUT_BYTES - start);
            System.arraycopy(ring, 0, ordered, MAX_OUTPUT_BYTES - start, start);
            return new String(ordered, StandardCharsets.UTF_8);
        }
    }
}
