package io.agentrelay.cli.bench;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-relay bench}: measures the hot paths of a relay it starts itself (a separate JVM on
 * a temporary data directory), against a same-stack baseline server measured in the same run, and
 * writes {@code report.md} and {@code report.json}. This class reads the options, starts the relay
 * (or checks the one at {@code --url}), runs the chosen {@link Scenario}s and writes the
 * {@link Report}; each scenario is a class of its own. Every step is bounded in time; progress goes
 * to stderr. {@code --smoke} runs every scenario at a tiny size, checking only that each completes
 * and that no message was claimed twice (exit code 1 otherwise).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the relay: send, deliver (SSE/WebSocket), fan-out, claims, start-up;",
                "writes report.md and report.json."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--smoke", description = "Tiny sizes, a few seconds in all: checks that every scenario works.")
    boolean smoke;

    @Option(names = "--seconds", description = "Length of each measured step (default 10, smoke 0.5).")
    Double seconds;

    @Option(names = "--only", split = ",", description = "Scenarios to run (default all): baseline, send, deliver, fanout, claims, startup")
    List<String> only;

    @Option(names = "--out", defaultValue = "bench-results", description = "Folder for report.md and report.json.")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the bench's stores go, in a temporary folder "
            + "removed at the end (default: the system's temp folder). Durable sends are as fast as this disk's fsync.")
    Path dataDir;

    @Option(names = "--url", paramLabel = "URL", description = "Measure the relay at URL instead of one the bench starts. "
            + "It WRITES into that relay (agents named bench-*, tens of thousands of messages, system broadcasts "
            + "to every agent): use a relay you can throw away. Default scenarios then: send, deliver, fanout, claims.")
    String url;

    @Option(names = "--database-url", paramLabel = "URL", description = "Run the bench's relays on this PostgreSQL "
            + "database (postgresql://user:password@host/db) instead of a temporary SQLite file. It WRITES into it: use "
            + "a scratch database. Default scenarios then: send, deliver, fanout, claims.")
    String databaseUrl;

    @Option(names = "--nodes", defaultValue = "1", description = "With --database-url: relay nodes to start on the "
            + "database (default 1). send spreads its load over all of them; deliver sends through the first and "
            + "listens on the last, so its latency is cross-node.")
    int nodes;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The --url relay's token. Env AGENT_RELAY_TOKEN "
            + "(prefer the variable: flags show in the process list).")
    String token;

    /** Agents the bench registered, in order: removed at the end from a relay it does not own. */
    private final Set<String> registered = new LinkedHashSet<>();

    @Override
    public Integer call() throws Exception {
        List<String> chosen = only != null ? only : Scenarios.ALL.stream()
                .filter(s -> (url == null && databaseUrl == null) || s.measuresTheRelay()).map(Scenario::name).toList();
        if (databaseUrl != null && (url != null || chosen.contains("startup"))) {
            System.err.println("agent-relay bench: --database-url starts the bench's own relays on PostgreSQL; it cannot "
                    + "be combined with --url, and the startup scenario measures SQLite stores only");
            return 2;
        }
        if (nodes < 1 || (nodes > 1 && databaseUrl == null)) {
            System.err.println("agent-relay bench: --nodes needs --database-url (nodes share one PostgreSQL database)");
            return 2;
        }
        for (String name : chosen) {
            if (Scenarios.named(name) == null) {
                System.err.println("agent-relay bench: unknown scenario '" + name + "'; choose from " + Scenarios.names());
                return 2;
            }
        }
        // Whether the bench started relays (or the baseline server) of its own, and how they start.
        boolean ranChildren = url == null || chosen.contains("baseline") || chosen.contains("startup");
        Endpoint remote;
        try {
            remote = url == null ? null : new Endpoint(url, token != null ? token : System.getenv("AGENT_RELAY_TOKEN"));
        } catch (IllegalArgumentException e) {
            System.err.println("agent-relay bench: " + e.getMessage());
            return 2;
        }
        // A smoke run checks that every step works, not what it measures: half a second each.
        double step = seconds != null ? seconds : smoke ? 0.5 : 10;
        // The recovery step kills the relay under load: every open connection of the load
        // generator then logs "Connection reset" at ERROR. Failed requests are counted anyway.
        System.setProperty("org.slf4j.simpleLogger.log.io.vertx.core.net.impl.ConnectionBase", "off");
        Report report = new Report("agent-relay bench" + (smoke ? " --smoke" : "") + (seconds != null ? " --seconds " + seconds : "")
                + (only != null ? " --only " + String.join(",", only) : "") + (remote != null ? " --url " + remote : "")
                + (databaseUrl != null ? " --database-url <postgresql> --nodes " + nodes : ""), smoke);
        report.relay(remote != null ? remote.url() : databaseUrl != null
                ? nodes + " node(s) started by the bench (this build) on one PostgreSQL database"
                : "started by the bench (this build, a temporary store)");
        // A thread dump from an earlier run in the same folder must not pass for this run's.
        Files.deleteIfExists(out.resolve(FanoutScenario.STALL_DUMP));
        Path work = dataDir == null ? Files.createTempDirectory("agent-relay-bench")
                : Files.createTempDirectory(Files.createDirectories(dataDir), "agent-relay-bench");
        // The load comes from one event loop per core: from one loop, the bench itself bounded the
        // baseline (docs/performance.md, "Seventh session").
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
        int failures = 0;
        Results results;
        List<ChildRelay> moreNodes = new ArrayList<>();
        try (ChildRelay own = remote == null ? startRelay(work.resolve("relay.db")) : null) {
            Endpoint relay = remote == null ? Endpoint.local(own.awaitUrl()) : remote;
            List<Endpoint> cluster = new ArrayList<>(List.of(relay));
            for (int i = 1; i < nodes; i++) {
                ChildRelay node = startRelay(work.resolve("unused.db"));
                moreNodes.add(node);
                cluster.add(Endpoint.local(node.awaitUrl()));
            }
            BenchRun run = new BenchRun(vertx, eventLoops(vertx, cores), cluster, own, step, smoke, out, work, databaseUrl,
                    registered);
            try {
                // A running relay answers its health check in milliseconds; one the bench started may
                // still be starting (a cold JVM on a busy machine).
                RelayCalls.awaitHealthy(relay, Duration.ofSeconds(remote != null ? 3 : 60));
            } catch (IllegalStateException e) {
                if (remote == null) {
                    throw e;
                }
                System.err.println("agent-relay bench: " + e.getMessage());
                return 2;
            }
            if (remote != null) {
                String refused = RelayCalls.refusal(remote);
                if (refused != null) {
                    System.err.println("agent-relay bench: " + remote + " " + refused);
                    return 2;
                }
                BenchRun.progress("measuring " + remote + ": it gets the bench's agents, messages and broadcasts");
                results = Results.none(null);
            } else {
                long idle = own.rssBytes() / (1024 * 1024);
                report.relayIdleRssMb(idle);
                results = Results.none(idle);
            }
            try {
                for (String name : chosen) {
                    BenchRun.progress("== " + name);
                    long started = System.nanoTime();
                    try {
                        ScenarioResult result = Scenarios.named(name).run(run);
                        report.completed(name, result);
                        results = results.with(result);
                    } catch (Exception | AssertionError e) {
                        // One scenario failing is recorded as failed and the next one runs.
                        failures++;
                        report.failed(name, e);
                        BenchRun.progress("   FAILED: " + e);
                    }
                    BenchRun.progress("   (" + Math.round((System.nanoTime() - started) / 1e9) + " s)");
                }
            } finally {
                if (remote != null) {
                    removeAgents(remote);
                }
            }
        } finally {
            moreNodes.forEach(ChildRelay::close);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            // The stores the bench wrote (about 700 MB with the start-up scenario's million messages).
            deleteTree(work);
        }
        if (ranChildren) {
            report.relayStartupCache(ChildRelay.startupCache());
        }
        report.verdicts(Goals.BRIEF.judge(results, smoke));
        Path written = report.write(out);
        BenchRun.progress("report: " + written.toAbsolutePath() + " (and report.json)");
        boolean doubleClaims = results.claims() != null && results.claims().doubleClaims() != 0;
        return failures == 0 && !doubleClaims ? 0 : 1;
    }

    private ChildRelay startRelay(Path database) throws Exception {
        return BenchRun.startRelay(database, databaseUrl);
    }

    /**
     * One Vert.x context on each of {@code count} event loops (a verticle instance each, which
     * Vert.x spreads over its loops in turn), for the load generator's workers.
     */
    private static List<Context> eventLoops(Vertx vertx, int count) throws Exception {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(count)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return List.copyOf(contexts);
    }

    /** The agents the bench registered on a relay it does not own, deleted again; its messages stay. */
    private void removeAgents(Endpoint relay) {
        int removed = 0;
        for (String id : registered) {
            try {
                if (RelayCalls.deleteAgent(relay, id)) {
                    removed++;
                }
            } catch (IOException | InterruptedException e) {
                BenchRun.progress("   could not remove agent " + id + ": " + e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        BenchRun.progress("removed the " + removed + " agents the bench registered on " + relay);
    }

    /** Removes the bench's temporary folder; a file that cannot be removed is reported, not fatal. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            BenchRun.progress("could not remove " + root + ": " + e.getMessage());
        }
    }
}
