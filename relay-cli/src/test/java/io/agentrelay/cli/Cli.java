package io.agentrelay.cli;

import io.agentrelay.cli.client.Shell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code agent-relay} client commands run against a real relay over HTTP, two ways: in this JVM
 * ({@link #run}, {@link #ok}: {@link Main#run} in a {@link Shell} of their own environment and
 * streams, milliseconds each), or as real processes ({@link #process}, {@link Running}: their own JVM
 * on this test's classpath, environment, stdin, stdout, stderr and exit status, about a second of
 * CPU each), the way a shell or a hook runs them. Tests of what only a process shows (exit statuses
 * seen by a script, the session identity two processes share) use the second.
 */
public final class Cli {
    private Cli() {
    }

    /** What a finished command left behind. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The java command line that runs {@link Main}, for a process builder or a wrapper script. */
    public static List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        // As the launcher does: JVM warnings to stderr, stdout is for results (and the MCP protocol).
        command.add("-Xlog:disable");
        command.add("-Xlog:all=warning:stderr");
        // A short-lived client: skip the optimizing compiler, start faster.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        return command;
    }

    /** An executable {@code agent-relay} script in {@code dir} that runs this classpath's CLI (for hooks). */
    public static Path launcher(Path dir) throws IOException {
        StringBuilder script = new StringBuilder("#!/usr/bin/env bash\nexec");
        for (String part : command()) {
            script.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        script.append(" \"$@\"\n");
        Path file = dir.resolve("agent-relay");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The environment of a shell acting as {@code agent} against the relay at {@code url}. */
    static Map<String, String> as(String url, String agent) {
        return Map.of("AGENT_RELAY_URL", url, "AGENT_RELAY_AGENT_ID", agent);
    }

    /** Runs the command in this JVM and fails the test unless it exits 0. */
    static Result ok(Map<String, String> env, String... args) {
        Result result = run(env, null, args);
        if (result.exit() != 0) {
            throw new AssertionError("expected exit 0: " + result);
        }
        return result;
    }

    /** Runs the command as a process and fails the test unless it exits 0. */
    static Result processOk(Map<String, String> env, String... args) {
        Result result = process(env, null, args);
        if (result.exit() != 0) {
            throw new AssertionError("expected exit 0: " + result);
        }
        return result;
    }

    /**
     * Runs {@code agent-relay args...} in this JVM, in the environment of this process without its
     * {@code AGENT_RELAY_} variables and with {@code env} added, {@code stdin} fed (none: empty).
     */
    static Result run(Map<String, String> env, String stdin, String... args) {
        Map<String, String> shellEnv = new HashMap<>(System.getenv());
        shellEnv.keySet().removeIf(key -> key.startsWith("AGENT_RELAY_"));
        shellEnv.putAll(env);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8));
        int exit = Main.run(new Shell(shellEnv, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code agent-relay args...} as a process to completion with {@code env} added and {@code stdin} fed. */
    static Result process(Map<String, String> env, String stdin, String... args) {
        List<String> command = command();
        command.addAll(List.of(args));
        return exec(new ProcessBuilder(command), env, stdin);
    }

    /** Runs any program (a hook script) to completion. */
    static Result exec(ProcessBuilder builder, Map<String, String> env, String stdin) {
        builder.environment().keySet().removeIf(key -> key.startsWith("AGENT_RELAY_"));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outPump = pump(process.getInputStream(), out);
            Thread errPump = pump(process.getErrorStream(), err);
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("command did not finish: " + builder.command());
            }
            outPump.join();
            errPump.join();
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A command that keeps running (watch): its output lines arrive in queues as they are printed. */
    static final class Running implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        final BlockingQueue<String> err = new LinkedBlockingQueue<>();

        Running(Map<String, String> env, String... args) throws IOException {
            List<String> command = command();
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(key -> key.startsWith("AGENT_RELAY_"));
            builder.environment().putAll(env);
            process = builder.start();
            process.getOutputStream().close();
            lines(process.getInputStream(), out);
            lines(process.getErrorStream(), err);
        }

        /** The next line of {@code queue} that contains {@code text}, or null after 30 s. */
        String await(BlockingQueue<String> queue, String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String line = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (line == null || line.contains(text)) {
                    return line;
                }
            }
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("command did not exit");
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }

        private static void lines(InputStream stream, BlockingQueue<String> queue) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        queue.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
        }
    }

    private static Thread pump(InputStream from, ByteArrayOutputStream to) {
        return Thread.ofPlatform().daemon(true).start(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }
}
