package io.agentrelay.cli.bench;

import io.agentrelay.cli.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the benchmark measures, run as its own JVM (same java, same classpath) so load
 * generation never shares its CPU scheduling or heap with it.
 */
final class ChildRelay implements AutoCloseable {
    private static final String ARCHIVE_PREFIX = "agent-relay-bench-";
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final StringBuffer output = new StringBuffer();

    private ChildRelay(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        Thread.ofPlatform().daemon(true).name("bench-child-output").start(this::pump);
    }

    /** Starts {@code agent-relay args...} with {@code env} added. */
    static ChildRelay start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        // As the launcher runs the relay: with an auto-created class data sharing archive, one per
        // command (the first JVM to exit writes it, and an archive written by the baseline server
        // lacks the relay's store classes: start-up measured 1.8 s with it instead of 1.1 s).
        command.add("-XX:+AutoCreateSharedArchive");
        String stamp = classPathStamp();
        removeOtherArchives(stamp);
        command.add("-XX:SharedArchiveFile=" + Path.of(System.getProperty("java.io.tmpdir"), ARCHIVE_PREFIX
                + stamp + "-" + args[0] + ".jsa"));
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
        command.add("-Xms64m"); // the launcher's default heap: see agent-relay
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new ChildRelay(builder.start(), started);
    }

    /** Archives of other builds: the JVM would refuse them, so they only take room. */
    private static void removeOtherArchives(String stamp) {
        Path folder = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(folder, ARCHIVE_PREFIX + "*.jsa")) {
            for (Path archive : archives) {
                if (!archive.getFileName().toString().startsWith(ARCHIVE_PREFIX + stamp + "-")) {
                    Files.deleteIfExists(archive);
                }
            }
        } catch (IOException e) {
            // an archive left behind costs disk space only
        }
    }

    /**
     * The class path and each entry's size and time: an archive recorded from an older jar is
     * refused by the JVM but not re-created, so a rebuilt jar must get an archive of its own.
     */
    private static String classPathStamp() {
        StringBuilder identity = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            identity.append(entry).append(':').append(file.length()).append(':').append(file.lastModified()).append(';');
        }
        return Integer.toHexString(identity.toString().hashCode());
    }

    String awaitUrl() throws Exception {
        try {
            return url.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the child server did not start:\n" + output, e);
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory of the child in bytes, from /proc (Linux); -1 where unavailable. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private void pump() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (output.length() < 64_000) {
                    output.append(line).append('\n');
                }
                Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    url.complete(matcher.group(1));
                }
            }
        } catch (IOException ignored) {
            // the child ended
        }
        url.completeExceptionally(new IllegalStateException("exited before listening"));
    }

    /** SIGKILL, as a crash or an OOM killer would; returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Graceful stop (SIGTERM), then SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
