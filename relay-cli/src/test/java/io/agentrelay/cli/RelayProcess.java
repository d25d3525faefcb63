package io.agentrelay.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code agent-relay} run as a separate JVM, the way a user runs it: same main class, same
 * classpath as this test, its own process that can be killed with SIGKILL.
 */
final class RelayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final CompletableFuture<String> url = new CompletableFuture<>();
    // Appended by the thread that reads the child's output, read by the test's thread.
    @SuppressWarnings("JdkObsolete")
    private final StringBuffer output = new StringBuffer();

    private RelayProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon(true).name("relay-process-output").start(this::pump);
    }

    /** Starts {@code agent-relay args...} with {@code env} added to this process's environment. */
    static RelayProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), env, args);
    }

    /** Like {@link #start(Map, String...)}, with options for the JVM (e.g. its temp folder). */
    static RelayProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        // As the test JVMs (the root pom's argLine): C2 costs more CPU than these short runs win.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new RelayProcess(builder.start());
    }

    /** The relay's URL once it printed that it listens; fails if it exits first. */
    String awaitUrl() throws Exception {
        return url.get(60, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("agent-relay did not exit; output:\n" + output);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing but what is already on disk survives. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        return output.toString();
    }

    private void pump() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.append(line).append('\n');
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    url.complete(matcher.group(1));
                }
            }
        } catch (IOException ignored) {
            // the process died: the future below reports it
        }
        url.completeExceptionally(new AssertionError("agent-relay exited before listening; output:\n" + output));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
