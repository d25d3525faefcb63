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
    /** JDK 25 and newer: an AOT cache (JEP 483/514/515) rather than a CDS archive, like the launcher. */
    private static final boolean AOT = Runtime.version().feature() >= 25;
    /** The launcher's JVM options (see agent-relay): the relays and the AOT cache creation share them. */
    private static final List<String> LAUNCHER_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "-XX:+DisplayVMOutputToStderr", "-XX:+ExitOnOutOfMemoryError", "-Xms64m");
    /**
     * Why the AOT cache cannot be made, once known; the bench then uses CDS. Known up front when the
     * class path holds a folder (a test run from the build's classes): the JVM caches jars only, and
     * finding that out by recording costs a relay start and a cache creation.
     */
    private static volatile String aotFailure = folderOnClassPath();

    private final Process process;
    private final long startedNanos;
    private final CompletableFuture<String> url = new CompletableFuture<>();
    // Appended by the thread that reads the child's output, read by the bench's thread.
    @SuppressWarnings("JdkObsolete")
    private final StringBuffer output = new StringBuffer();

    private ChildRelay(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
        Thread.ofPlatform().daemon(true).name("bench-child-output").start(this::pump);
    }

    /** Starts {@code agent-relay args...} with {@code env} added. */
    static ChildRelay start(Map<String, String> env, String... args) throws IOException {
        String stamp = classPathStamp();
        removeOtherCaches(stamp);
        Path folder = Path.of(System.getProperty("java.io.tmpdir"));
        if (AOT) {
            Path cache = folder.resolve(ARCHIVE_PREFIX + stamp + "-" + args[0] + ".aot");
            if (!Files.exists(cache) && aotFailure == null) {
                try {
                    record(cache, env, args);
                } catch (IOException e) {
                    // CDS copes where the AOT cache could not be made, so fall back to that.
                    aotFailure = e.getMessage();
                }
            }
            if (Files.exists(cache)) {
                return launch(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off"), env, args);
            }
        }
        // As the launcher does before JDK 25: an auto-created class-data-sharing archive, one per
        // command (an archive written by the baseline server lacks the relay's store classes, and
        // the relay started much slower with it; figures in docs/performance.md, 2026-12-02).
        Path archive = folder.resolve(ARCHIVE_PREFIX + stamp + "-" + args[0] + ".jsa");
        return launch(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off"), env, args);
    }

    /**
     * How the bench's relays start, as the launcher starts them: "AOT cache" on JDK 25+, else (or
     * when the cache cannot be made) "CDS archive", with the reason.
     */
    static String startupCache() {
        if (!AOT) {
            return "CDS archive (JDK " + Runtime.version().feature() + ")";
        }
        return aotFailure == null ? "AOT cache"
                : "CDS archive (no AOT cache: " + aotFailure.lines().findFirst().orElse("") + ")";
    }

    /**
     * Makes the AOT cache the way the launcher does: an unmeasured run of the command, on a store
     * of its own, records a configuration when it stops (right after it listens); then the JVM
     * turns that into the cache. (A relay measured while recording would be measured in a mode the
     * launcher's users see once per build.)
     */
    private static void record(Path cache, Map<String, String> env, String... args) throws IOException {
        Path scratch = Files.createTempDirectory("agent-relay-bench-aot");
        Path configuration = scratch.resolve("recorded.aotconf");
        Map<String, String> recordingEnv = new java.util.HashMap<>(env);
        // The recording run is a throwaway relay on a scratch SQLite file, whatever store the bench measures.
        recordingEnv.remove("AGENT_RELAY_DATABASE_URL");
        recordingEnv.put("AGENT_RELAY_DB", scratch.resolve("relay.db").toString());
        recordingEnv.put("PORT", "0");
        try {
            ChildRelay recording = launch(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + configuration),
                    recordingEnv, args);
            try (recording) {
                recording.awaitUrl();
            } catch (Exception e) {
                throw new IOException("the run recording the AOT configuration failed:\n" + recording.output, e);
            }
            Path written = scratch.resolve("cache.aot");
            Path log = scratch.resolve("create.log");
            List<String> command = new ArrayList<>(List.of(java(), "-XX:AOTMode=create",
                    "-XX:AOTConfiguration=" + configuration, "-XX:AOTCache=" + written));
            command.addAll(LAUNCHER_OPTIONS);
            command.addAll(List.of("-cp", System.getProperty("java.class.path")));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!create.waitFor(120, TimeUnit.SECONDS)) {
                create.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("creating the AOT cache took more than 120 s");
            }
            if (create.exitValue() != 0 || !Files.exists(written)) {
                throw new IOException("creating the AOT cache failed:\n" + Files.readString(log));
            }
            Files.move(written, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the AOT cache", e);
        } finally {
            BenchCommand.deleteTree(scratch);
        }
    }

    private static String folderOnClassPath() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            if (new File(entry).isDirectory()) {
                return "the class path holds a folder, " + entry + "; an AOT cache takes jars only";
            }
        }
        return null;
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static ChildRelay launch(List<String> startupCache, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(LAUNCHER_OPTIONS);
        command.addAll(startupCache);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The relay is configured by the bench alone: a token or database exported in the shell
        // that runs the bench (for --url, say) would otherwise lock the bench out of its own relays.
        builder.environment().keySet().removeIf(name -> name.startsWith("AGENT_RELAY_") || name.equals("PORT")
                || name.equals("HOST"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new ChildRelay(builder.start(), started);
    }

    /** Caches of other builds: the JVM would refuse them, so they only take room. */
    private static void removeOtherCaches(String stamp) {
        Path folder = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(folder, ARCHIVE_PREFIX + "*.{jsa,aot}")) {
            for (Path cache : caches) {
                if (!cache.getFileName().toString().startsWith(ARCHIVE_PREFIX + stamp + "-")) {
                    Files.deleteIfExists(cache);
                }
            }
        } catch (IOException e) {
            // a cache left behind costs disk space only
        }
    }

    /**
     * The class path and each entry's size and time: an archive recorded from an older jar is
     * refused by the JVM but not re-created, so a rebuilt jar must get an archive of its own.
     */
    private static String classPathStamp() {
        StringBuilder identity = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
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

    /** Writes the relay's thread dump ({@code jcmd Thread.print}) to {@code file}; false if that failed. */
    boolean dumpThreads(Path file) {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            return dump.waitFor(60, TimeUnit.SECONDS) && dump.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
            // Long enough for a recording run, which writes its AOT configuration (tens of MB) on the way out.
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
