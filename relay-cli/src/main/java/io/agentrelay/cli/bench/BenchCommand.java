package io.agentrelay.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-relay bench}: measures the hot paths of a relay it starts itself (a separate JVM on
 * a temporary data directory), against a same-stack baseline server measured in the same run, and
 * writes {@code report.md} and {@code report.json}. Every step is bounded in time; progress goes
 * to stderr. {@code --smoke} runs every scenario at a tiny size, checking only that each completes
 * and that no message was claimed twice (exit code 1 otherwise).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the relay: send, deliver (SSE/WebSocket), fan-out, claims, start-up;",
                "writes report.md and report.json."})
public final class BenchCommand implements Callable<Integer> {
    static final List<String> SCENARIOS = List.of("baseline", "send", "deliver", "fanout", "claims", "startup");
    /**
     * With {@code --url}: the baseline and start-up measure this machine and this build, not the
     * relay at the URL, so they run only when asked for with {@code --only}.
     */
    static final List<String> REMOTE_SCENARIOS = List.of("send", "deliver", "fanout", "claims");
    /** The offered rate at which delivery latency is measured, messages per second. */
    private static final int DELIVER_RATE = 1_000;
    /** Compiler CPU per one-second round below which a JVM's JIT counts as settled: 2% of a core. */
    private static final long QUIET_JIT_NANOS = 20_000_000L;
    /** At most this many settling rounds (seconds) before delivery or fan-out is measured regardless. */
    private static final int SETTLE_MAX_ROUNDS = 30;
    /** Where the relay's threads go when opening idle streams stalls (see {@link #fanout}). */
    private static final String STALL_DUMP = "relay-threads-at-stall.txt";

    @Option(names = "--smoke", description = "Tiny sizes, a few seconds in all: checks that every scenario works.")
    boolean smoke;

    @Option(names = "--seconds", description = "Length of each measured step (default 10, smoke 1).")
    Double seconds;

    @Option(names = "--only", split = ",", description = "Scenarios to run (default all): ${COMPLETION-CANDIDATES}")
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

    private Report report;
    private Vertx vertx;
    /** The relay's nodes: the one relay, or with --nodes every node the bench started. */
    private List<Endpoint> cluster = List.of();
    private Path work;
    private double step;
    private int failures;
    /** Agents the bench registered, in order: removed at the end from a relay it does not own. */
    private final Set<String> registered = new LinkedHashSet<>();

    @Override
    public Integer call() throws Exception {
        List<String> chosen = only != null ? only : url != null || databaseUrl != null ? REMOTE_SCENARIOS : SCENARIOS;
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
            if (!SCENARIOS.contains(name)) {
                System.err.println("agent-relay bench: unknown scenario '" + name + "'; choose from " + SCENARIOS);
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
        step = seconds != null ? seconds : smoke ? 1 : 10;
        // The recovery step kills the relay under load: every open connection of the load
        // generator then logs "Connection reset" at ERROR. Failed requests are counted anyway.
        System.setProperty("org.slf4j.simpleLogger.log.io.vertx.core.net.impl.ConnectionBase", "off");
        report = new Report("agent-relay bench" + (smoke ? " --smoke" : "") + (seconds != null ? " --seconds " + seconds : "")
                + (only != null ? " --only " + String.join(",", only) : "") + (remote != null ? " --url " + remote : "")
                + (databaseUrl != null ? " --database-url <postgresql> --nodes " + nodes : ""), smoke);
        report.relay(remote != null ? remote.url() : databaseUrl != null
                ? nodes + " node(s) started by the bench (this build) on one PostgreSQL database"
                : "started by the bench (this build, a temporary store)");
        // A thread dump from an earlier run in the same folder must not pass for this run's.
        Files.deleteIfExists(out.resolve(STALL_DUMP));
        work = dataDir == null ? Files.createTempDirectory("agent-relay-bench")
                : Files.createTempDirectory(Files.createDirectories(dataDir), "agent-relay-bench");
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        // Only a relay of the bench's own is a process it can watch (memory, JIT); null otherwise.
        List<ChildRelay> moreNodes = new ArrayList<>();
        try (ChildRelay own = remote == null ? startRelay(work.resolve("relay.db")) : null) {
            Endpoint relay = remote == null ? Endpoint.local(own.awaitUrl()) : remote;
            cluster = new ArrayList<>(List.of(relay));
            for (int i = 1; i < nodes; i++) {
                ChildRelay node = startRelay(work.resolve("unused.db"));
                moreNodes.add(node);
                cluster.add(Endpoint.local(node.awaitUrl()));
            }
            try {
                awaitHealthy(relay, Duration.ofSeconds(remote != null ? 10 : 60));
            } catch (IllegalStateException e) {
                if (remote == null) {
                    throw e;
                }
                System.err.println("agent-relay bench: " + e.getMessage());
                return 2;
            }
            if (remote != null) {
                String refused = refusal(remote);
                if (refused != null) {
                    System.err.println("agent-relay bench: " + remote + " " + refused);
                    return 2;
                }
                progress("measuring " + remote + ": it gets the bench's agents, messages and broadcasts");
            } else {
                report.put("memory", "relayIdleRssMb", own.rssBytes() / (1024 * 1024));
            }
            try {
                runScenarios(chosen, relay, own);
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
            report.put("startup", "relayStartupCache", ChildRelay.startupCache());
        }
        compareWithGoals();
        Path written = report.write(out);
        progress("report: " + written.toAbsolutePath() + " (and report.json)");
        Object doubles = report.get("claims", "doubleClaims");
        boolean doubleClaims = doubles instanceof Number n && n.longValue() != 0;
        return failures == 0 && !doubleClaims ? 0 : 1;
    }

    /** Runs each chosen scenario; one that fails is recorded as failed and the next one runs. */
    private void runScenarios(List<String> chosen, Endpoint relay, ChildRelay own) {
        for (String name : chosen) {
            progress("== " + name);
            long started = System.nanoTime();
            try {
                switch (name) {
                    case "baseline" -> baseline();
                    case "send" -> send();
                    case "deliver" -> deliver(relay, own);
                    case "fanout" -> fanout(relay, own);
                    case "claims" -> claims(relay);
                    case "startup" -> startup();
                    default -> throw new IllegalStateException(name);
                }
                report.put(name, "completed", true);
            } catch (Exception | AssertionError e) {
                failures++;
                report.put(name, "completed", false);
                report.put(name, "error", String.valueOf(e));
                progress("   FAILED: " + e);
            }
            progress("   (" + Math.round((System.nanoTime() - started) / 1e9) + " s)");
        }
    }

    /** Why the relay will not serve the bench (a missing or wrong token), or null when it will. */
    private static String refusal(Endpoint relay) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(relay.request("/api/agents").build(),
                HttpResponse.BodyHandlers.ofString());
        return switch (response.statusCode()) {
            case 200 -> null;
            case 401, 403 -> "refused the bench (HTTP " + response.statusCode() + "): give its token in AGENT_RELAY_TOKEN"
                    + " or --token";
            default -> "answered GET /api/agents with HTTP " + response.statusCode() + ": " + response.body();
        };
    }

    /** The agents the bench registered on a relay it does not own, deleted again; its messages stay. */
    private void removeAgents(Endpoint relay) {
        HttpClient http = HttpClient.newHttpClient();
        int removed = 0;
        for (String id : registered) {
            try {
                HttpResponse<Void> response = http.send(relay.request("/api/agents/" + id).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    removed++;
                }
            } catch (java.io.IOException | InterruptedException e) {
                progress("   could not remove agent " + id + ": " + e);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        progress("removed the " + removed + " agents the bench registered on " + relay);
    }

    // ---- scenarios ----

    private void baseline() throws Exception {
        try (ChildRelay server = ChildRelay.start(Map.of(), "bench-baseline")) {
            try (Load load = new Load(vertx, Endpoint.local(server.awaitUrl()), 64)) {
                load.closedLoop(64, step / 2, "/api/baseline", n -> body("bench", "bench-sink", n)); // warm-up
                for (int concurrency : new int[] {1, 16, 64}) {
                    Load.Result result = load.closedLoop(concurrency, step, "/api/baseline", n -> body("bench", "bench-sink", n));
                    record("baseline", concurrency, result);
                }
            }
        }
    }

    private void send() throws Exception {
        // Over every node of a cluster (one node unless --nodes): the cluster's durable send rate.
        try (Load load = new Load(vertx, cluster, 64)) {
            load.closedLoop(64, step / 2, "/api/messages", n -> body("bench", "bench-sink", n)); // warm-up
            for (int concurrency : new int[] {1, 16, 64}) {
                Load.Result result = load.closedLoop(concurrency, step, "/api/messages", n -> body("bench", "bench-sink", n));
                record("send", concurrency, result);
            }
        }
    }

    private void deliver(Endpoint url, ChildRelay relay) throws Exception {
        register(url, "bench-listener", List.of(), List.of());
        // Listening on the last node and sending through the first: with --nodes, latency across nodes.
        Endpoint listening = cluster.get(cluster.size() - 1);
        try (Load load = new Load(vertx, url, 64); Listeners listeners = new Listeners(vertx, listening, 4)) {
            Histogram[] sse = {histogram()};
            Histogram[] ws = {histogram()};
            AtomicLong sseCount = new AtomicLong();
            AtomicLong wsCount = new AtomicLong();
            await(listeners.sse("?agentId=bench-listener&types=message.new", frame -> {
                sseCount.incrementAndGet();
                recordSince(sse[0], frame);
            }));
            await(listeners.webSocket("{\"type\":\"hello\",\"subscriptions\":{\"agents\":[\"bench-listener\"],\"types\":[\"message.new\"]}}",
                    frame -> {
                        wsCount.incrementAndGet();
                        recordSince(ws[0], frame);
                    }));
            // Warm-up (the JIT and the stream paths), then reset the histograms.
            long delivered = load.closedLoop(16, step / 2, "/api/messages", n -> timedBody("bench-listener")).ok();
            awaitDeliveries(sseCount, wsCount, delivered, "during warm-up");
            // Then the JIT must go quiet: on two cores a compiler thread still busy with the code
            // under test takes time slices from the threads being timed (C2 at a third of a core in
            // each JVM was seen ten seconds in). Unmeasured seconds at the measured rate until then.
            long[] settling = {delivered};
            settleJit("deliver", relay, "at 1,000 msg/s", () -> {
                settling[0] += paced(load, DELIVER_RATE, histogram());
                awaitDeliveries(sseCount, wsCount, settling[0], "while the JIT settles");
            });
            delivered = settling[0];
            sse[0] = histogram();
            ws[0] = histogram();
            long planned = (long) (DELIVER_RATE * step);
            Histogram acks = histogram();
            long accepted = paced(load, planned, acks);
            awaitDeliveries(sseCount, wsCount, delivered + accepted, "at 1,000 msg/s");
            report.put("deliver", "at1000PerSecondSendAck", Report.latency(acks));
            report.put("deliver", "at1000PerSecondSse", Report.latency(sse[0]));
            report.put("deliver", "at1000PerSecondWs", Report.latency(ws[0]));
            progress(String.format("   at 1,000 msg/s: send acknowledged p50 %s ms p99 %s ms",
                    Report.fmt(Report.ms(acks.getValueAtPercentile(50))), Report.fmt(Report.ms(acks.getValueAtPercentile(99)))));
            progress(String.format("   at 1,000 msg/s: SSE p50 %s ms p99 %s ms | WS p50 %s ms p99 %s ms",
                    Report.fmt(Report.ms(sse[0].getValueAtPercentile(50))), Report.fmt(Report.ms(sse[0].getValueAtPercentile(99))),
                    Report.fmt(Report.ms(ws[0].getValueAtPercentile(50))), Report.fmt(Report.ms(ws[0].getValueAtPercentile(99)))));
            // Maximum: 64 closed-loop senders.
            sse[0] = histogram();
            ws[0] = histogram();
            long before = sseCount.get();
            long beforeWs = wsCount.get();
            Load.Result max = load.closedLoop(64, step, "/api/messages", n -> timedBody("bench-listener"));
            awaitCount(sseCount, before + max.ok(), "SSE deliveries at maximum rate");
            awaitCount(wsCount, beforeWs + max.ok(), "WebSocket deliveries at maximum rate");
            report.put("deliver", "maxRatePerSecond", Math.round(max.perSecond()));
            report.put("deliver", "atMaxSse", Report.latency(sse[0]));
            report.put("deliver", "atMaxWs", Report.latency(ws[0]));
            progress(String.format("   at max (%d msg/s): SSE p50 %s ms p99 %s ms", Math.round(max.perSecond()),
                    Report.fmt(Report.ms(sse[0].getValueAtPercentile(50))), Report.fmt(Report.ms(sse[0].getValueAtPercentile(99)))));
        }
    }

    /** One unmeasured round of a scenario's load, about a second long. */
    @FunctionalInterface
    private interface Round {
        void run() throws Exception;
    }

    /**
     * Unmeasured rounds of {@code round} (each about a second) until the JIT compilers of both the
     * relay and this JVM used at most {@link #QUIET_JIT_NANOS} in a round, or {@link #SETTLE_MAX_ROUNDS}
     * rounds passed (one in a smoke run); records how long that took under {@code scenario}. On two
     * cores a compiler thread still busy with the code under test takes time slices from the threads
     * being timed. A relay the bench did not start ({@code relay} null) cannot be watched: only this
     * JVM's JIT is waited for.
     */
    private void settleJit(String scenario, ChildRelay relay, String what, Round round) throws Exception {
        List<Long> watched = relay == null ? List.of(ProcessHandle.current().pid())
                : List.of(ProcessHandle.current().pid(), relay.pid());
        int rounds = 0;
        boolean quiet = false;
        while (!quiet && rounds < (smoke ? 1 : SETTLE_MAX_ROUNDS)) {
            List<Optional<Map<String, Long>>> before = watched.stream().map(JitActivity::compilerCpuNanos).toList();
            round.run();
            rounds++;
            List<Optional<Map<String, Long>>> after = watched.stream().map(JitActivity::compilerCpuNanos).toList();
            if (before.stream().anyMatch(Optional::isEmpty) || after.stream().anyMatch(Optional::isEmpty)) {
                break; // no /proc: the warm-up and this one round are all there is
            }
            quiet = true;
            for (int i = 0; i < watched.size(); i++) {
                quiet &= JitActivity.between(before.get(i).get(), after.get(i).get()) <= QUIET_JIT_NANOS;
            }
        }
        report.put(scenario, "jitSettleSeconds", rounds);
        report.put(scenario, "jitQuiet", quiet);
        progress("   JIT " + (quiet ? "quiet" : "still compiling") + " after " + rounds + " s " + what + " (unmeasured)"
                + (relay == null ? "; the relay's own JIT is not watched (not started by the bench)" : ""));
    }

    /**
     * Open-loop sends at {@link #DELIVER_RATE}, one every millisecond, {@code count} in all; each
     * accepted send's acknowledgement latency goes to {@code acks}. A send that falls behind the
     * schedule goes out at once, so the rate holds on average. Returns, once all were answered, how
     * many the relay accepted (2xx): only those can be delivered. A refused send is reported.
     */
    private long paced(Load load, long count, Histogram acks) throws Exception {
        AtomicLong sent = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicReference<String> refusal = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long begin = System.nanoTime();
        long timer = vertx.setPeriodic(1, id -> {
            long due = Math.min(count, (System.nanoTime() - begin) * DELIVER_RATE / 1_000_000_000L + 1);
            while (sent.get() < due) {
                sent.incrementAndGet();
                long at = System.nanoTime();
                load.call(HttpMethod.POST, "/api/messages", timedBody("bench-listener")).onComplete(result -> {
                    if (result.succeeded() && result.result() / 100 == 2) {
                        accepted.incrementAndGet();
                        acks.recordValue(Math.max(1, (System.nanoTime() - at) / 1_000));
                    } else {
                        refusal.compareAndSet(null, result.succeeded() ? "HTTP " + result.result()
                                : String.valueOf(result.cause()));
                    }
                    if (answered.incrementAndGet() == count) {
                        done.complete(null);
                    }
                });
            }
        });
        try {
            done.get(count / DELIVER_RATE + 60, TimeUnit.SECONDS);
        } finally {
            vertx.cancelTimer(timer);
        }
        if (refusal.get() != null) {
            progress("   " + (count - accepted.get()) + " of " + count + " paced sends failed, the first with "
                    + refusal.get());
        }
        return accepted.get();
    }

    private static void awaitDeliveries(AtomicLong sseCount, AtomicLong wsCount, long expected, String when)
            throws InterruptedException {
        awaitCount(sseCount, expected, "SSE deliveries " + when);
        awaitCount(wsCount, expected, "WebSocket deliveries " + when);
    }

    private void fanout(Endpoint url, ChildRelay relay) throws Exception {
        int perKind = smoke ? 50 : 1_000;
        int broadcasts = smoke ? 3 : 100;
        // Unmeasured first broadcasts (then more until the JIT is quiet): the JIT's first compilations
        // of the 2,000-stream path made the first few broadcasts several times slower.
        int warmUp = smoke ? 1 : 10;
        int idleTarget = smoke ? 200 : 10_000;
        try (Load load = new Load(vertx, url, 4); Listeners listeners = new Listeners(vertx, url, idleTarget + 10)) {
            Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
            Map<Integer, CompletableFuture<Long>> allIn = new ConcurrentHashMap<>();
            int total = perKind * 2;
            java.util.function.Consumer<String> onFrame = frame -> {
                int at = frame.indexOf("\"body\":\"f=");
                if (at < 0) {
                    return;
                }
                int seq = Integer.parseInt(frame.substring(at + 10, frame.indexOf('"', at + 10)));
                if (received.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet() == total) {
                    allIn.computeIfAbsent(seq, k -> new CompletableFuture<>()).complete(System.nanoTime());
                }
            };
            List<Future<?>> opening = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                opening.add(listeners.sse("?types=message.new", onFrame));
                opening.add(listeners.webSocket("{\"type\":\"hello\",\"subscriptions\":{\"types\":[\"message.new\"]}}", onFrame));
            }
            await(Future.all(opening));
            progress("   " + total + " streams open (" + perKind + " SSE + " + perKind + " WebSocket)");
            int[] seq = {0};
            Callable<Long> broadcast = () -> {
                int n = seq[0]++;
                CompletableFuture<Long> done = allIn.computeIfAbsent(n, k -> new CompletableFuture<>());
                long sentAt = System.nanoTime();
                await(load.call(HttpMethod.POST, "/api/system/broadcast", Buffer.buffer("{\"body\":\"f=" + n + "\"}")));
                return Math.max(1, (done.get(60, TimeUnit.SECONDS) - sentAt) / 1_000);
            };
            for (int i = 0; i < warmUp; i++) {
                broadcast.call();
            }
            // Then until the JIT is quiet: the first measured broadcasts after a fixed warm-up were
            // the slowest of a run, with no garbage collection under them (compilation).
            settleJit("fanout", relay, "of broadcasts", () -> {
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    broadcast.call();
                }
            });
            Histogram allReceived = histogram();
            for (int i = 0; i < broadcasts; i++) {
                allReceived.recordValue(broadcast.call());
            }
            report.put("fanout", "streams", total);
            report.put("fanout", "broadcasts", broadcasts);
            report.put("fanout", "allReceived", Report.latency(allReceived));
            progress(String.format("   broadcast to %d streams, all received: p50 %s ms p99 %s ms", total,
                    Report.fmt(Report.ms(allReceived.getValueAtPercentile(50))), Report.fmt(Report.ms(allReceived.getValueAtPercentile(99)))));
            // Open the rest in batches; if a batch stalls (a busy machine), measure with what is open.
            int open = total;
            List<Future<?>> idle = new ArrayList<>();
            try {
                for (int i = total; i < idleTarget; i++) {
                    idle.add(listeners.sse("?types=message.new", frame -> { }));
                    if (idle.size() == 250 || i == idleTarget - 1) {
                        await(Future.all(idle));
                        open += idle.size();
                        idle.clear();
                    }
                }
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                long live = idle.stream().filter(Future::succeeded).count();
                open += (int) live;
                String why = (e instanceof java.util.concurrent.TimeoutException
                        ? live + " of a batch of " + idle.size() + " opened within 120 s" : String.valueOf(e.getCause()))
                        + "; the relay counts " + openStreams(url) + " open streams (SSE and WebSocket), the bench "
                        + open + " (" + (open - perKind) + " SSE)";
                progress("   opening idle streams stopped at " + open + " (" + why + "); measuring with those");
                report.put("memory", "idleStreamsStopped", why);
                // Seen once in several full runs and never reproduced on purpose: keep what the relay was doing.
                if (relay != null) {
                    Path dump = out.resolve(STALL_DUMP);
                    if (relay.dumpThreads(dump)) {
                        report.put("memory", "threadDumpAtStall", dump.getFileName().toString());
                        progress("   the relay's threads at that moment: " + dump);
                    }
                }
            }
            idleTarget = open;
            report.put("memory", "idleStreams", idleTarget);
            if (relay != null) {
                report.put("memory", "relayRssWithIdleStreamsMb", relay.rssBytes() / (1024 * 1024));
                progress("   relay RSS with " + idleTarget + " idle streams: " + relay.rssBytes() / (1024 * 1024) + " MB");
            }
        }
    }

    private void claims(Endpoint url) throws Exception {
        int claimers = 64;
        for (int i = 0; i < claimers; i++) {
            register(url, "bench-claimer-" + i, List.of(), List.of("bench-claim"));
        }
        int messages = smoke ? 300 : 10_000;
        // Warm-up rounds (checked, not reported): a round of 10,000 claims lasts one or two seconds,
        // and measured right after the other scenarios it mostly timed the JIT compiling the claim
        // path (C2 took most of a core; rounds 1..4 of one run: 3.8k, 6.4k, 8.4k, 8.8k claims/s).
        for (int round = 0; round < (smoke ? 1 : 2); round++) {
            claimRound(url, claimers, smoke ? 50 : messages, "warm-up");
        }
        List<ClaimRound> rounds = new ArrayList<>();
        for (int round = 0; round < (smoke ? 1 : 3); round++) {
            rounds.add(claimRound(url, claimers, messages, "round " + (round + 1)));
        }
        List<Long> rates = rounds.stream().map(ClaimRound::claimsPerSecond).sorted().toList();
        report.put("claims", "claimers", claimers);
        report.put("claims", "messagesPerRound", messages);
        report.put("claims", "rounds", rounds.size());
        report.put("claims", "claimsPerSecond", rates.get(rates.size() / 2));
        report.put("claims", "claimsPerSecondRounds", rounds.stream().map(ClaimRound::claimsPerSecond).toList());
        report.put("claims", "attempts", rounds.stream().mapToLong(ClaimRound::attempts).sum());
        report.put("claims", "conflicts409", rounds.stream().mapToLong(ClaimRound::conflicts).sum());
        report.put("claims", "errors", rounds.stream().mapToLong(ClaimRound::errors).sum());
        report.put("claims", "doubleClaims", rounds.stream().mapToLong(ClaimRound::doubleClaims).sum());
        report.put("claims", "unclaimed", rounds.stream().mapToLong(ClaimRound::unclaimed).sum());
    }

    /** One measured race: {@code messages} claimable messages, each claimed once by one of the claimers. */
    private record ClaimRound(long claimsPerSecond, long attempts, long conflicts, long errors, long doubleClaims,
                              long unclaimed) {
    }

    private ClaimRound claimRound(Endpoint url, int claimers, int messages, String label) throws Exception {
        long firstEvent = lastEventId(url);
        long[] ids = new long[messages];
        try (Load load = new Load(vertx, url, 64)) {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> creating = new ArrayList<>();
            for (int w = 0; w < 64; w++) {
                creating.add(createClaimables(load, next, messages, ids));
            }
            await(Future.all(creating));
            // Each claimer walks the messages in its own random order, skipping those it has seen
            // taken (as an agent would from message.claimed events); near the end they collide.
            AtomicIntegerArray wins = new AtomicIntegerArray(messages);
            AtomicIntegerArray taken = new AtomicIntegerArray(messages);
            AtomicLong attempts = new AtomicLong();
            AtomicLong conflicts = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            long start = System.nanoTime();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < claimers; w++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(w));
                CompletableFuture<Void> done = new CompletableFuture<>();
                workers.add(done);
                String agent = "bench-claimer-" + w;
                vertx.runOnContext(v -> claimNext(load, agent, order, 0, ids, taken, wins, attempts, conflicts, errors, done));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            int doubleLocal = 0;
            int unclaimed = 0;
            for (int i = 0; i < messages; i++) {
                if (wins.get(i) > 1) {
                    doubleLocal++;
                }
                if (wins.get(i) == 0) {
                    unclaimed++;
                }
            }
            // The relay's own record: exactly one message.claimed event per message.
            Map<Long, Integer> claimedEvents = claimedEventsSince(url, firstEvent);
            long doubleInLog = claimedEvents.values().stream().filter(c -> c > 1).count();
            long missingInLog = Arrays.stream(ids).filter(id -> !claimedEvents.containsKey(id)).count();
            ClaimRound round = new ClaimRound(Math.round(messages / elapsed), attempts.get(), conflicts.get(), errors.get(),
                    doubleLocal + doubleInLog, unclaimed + missingInLog);
            progress(String.format("   %s: %d claims/s (%d messages, %d attempts, %d x 409), double claims: %d, unclaimed: %d",
                    label, round.claimsPerSecond(), messages, round.attempts(), round.conflicts(), round.doubleClaims(),
                    round.unclaimed()));
            if (round.unclaimed() > 0 || round.errors() > 0 || round.doubleClaims() > 0) {
                throw new AssertionError("claims check failed: unclaimed " + round.unclaimed() + ", errors "
                        + round.errors() + ", double claims " + round.doubleClaims());
            }
            return round;
        }
    }

    private Future<Void> createClaimables(Load load, AtomicInteger next, int messages, long[] ids) {
        int n = next.getAndIncrement();
        if (n >= messages) {
            return Future.succeededFuture();
        }
        Buffer body = Buffer.buffer("{\"from\":\"bench\",\"to\":\"cap:bench-claim\",\"claimable\":true,\"body\":\"work " + n + "\"}");
        return load.fetch(HttpMethod.POST, "/api/messages", body).compose(response -> {
            try {
                ids[n] = Json.mapper().readTree(response.getBytes()).get("id").asLong();
            } catch (java.io.IOException e) {
                return Future.failedFuture(e);
            }
            return createClaimables(load, next, messages, ids);
        });
    }

    private void claimNext(Load load, String agent, List<Integer> order, int position, long[] ids, AtomicIntegerArray taken,
                           AtomicIntegerArray wins, AtomicLong attempts, AtomicLong conflicts, AtomicLong errors,
                           CompletableFuture<Void> done) {
        int at = position;
        while (at < order.size() && taken.get(order.get(at)) != 0) {
            at++;
        }
        if (at >= order.size()) {
            done.complete(null);
            return;
        }
        int index = order.get(at);
        int following = at + 1;
        attempts.incrementAndGet();
        load.call(HttpMethod.POST, "/api/messages/" + ids[index] + "/claim", Buffer.buffer("{\"agentId\":\"" + agent + "\"}"))
                .onComplete(result -> {
                    if (result.succeeded() && result.result() == 200) {
                        wins.incrementAndGet(index);
                        taken.set(index, 1);
                    } else if (result.succeeded() && result.result() == 409) {
                        conflicts.incrementAndGet();
                        taken.set(index, 1);
                    } else {
                        errors.incrementAndGet();
                    }
                    claimNext(load, agent, order, following, ids, taken, wins, attempts, conflicts, errors, done);
                });
    }

    private void startup() throws Exception {
        int runs = smoke ? 1 : 3;
        // One unmeasured start first: with a class-data archive (before JDK 25) it writes the
        // archive if this build has none yet, as the first `agent-relay serve` after a build does
        // (an AOT cache is made before any start); the measured starts are the ones every later
        // start of the relay looks like.
        timeToFirstHealthy(work.resolve("archive.db"));
        List<Long> empty = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            empty.add(timeToFirstHealthy(work.resolve("empty-" + run + ".db")));
        }
        Collections.sort(empty);
        report.put("startup", "emptyStoreMs", empty);
        int size = smoke ? 10_000 : 1_000_000;
        Path big = work.resolve("big.db");
        timeToFirstHealthy(big); // creates the schema
        long filled = fill(big, size);
        report.put("startup", "filledMessages", size);
        report.put("startup", "fillSeconds", filled / 1000.0);
        List<Long> full = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            full.add(timeToFirstHealthy(big));
        }
        Collections.sort(full);
        report.put("startup", "filledStoreMs", full);
        progress("   first 200: empty store " + empty + " ms; " + size + " messages " + full + " ms");
        List<Long> recovered = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            recovered.add(timeToRecover(big));
        }
        Collections.sort(recovered);
        report.put("startup", "afterKillMs", recovered);
        progress("   first 200 after kill -9 under load, on the filled store: " + recovered + " ms");
    }

    /**
     * Recovery: the relay on {@code database} takes sends from 64 clients, is killed with SIGKILL
     * half-way, and is started again. Returns the time from that start to its first 200, after
     * checking that every send it had acknowledged is in the store (or failing the scenario).
     */
    private long timeToRecover(Path database) throws Exception {
        long before;
        long acknowledged;
        try (ChildRelay relay = startRelay(database)) {
            Endpoint endpoint = Endpoint.local(relay.awaitUrl());
            awaitHealthy(endpoint, Duration.ofMinutes(2));
            before = storedMessages(endpoint);
            double seconds = smoke ? 0.5 : 2;
            try (Load load = new Load(vertx, endpoint, 64)) {
                CompletableFuture<Load.Result> sending = CompletableFuture.supplyAsync(() -> {
                    try {
                        return load.closedLoop(64, seconds, "/api/messages", n -> body("bench", "bench-sink", n));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep((long) (seconds * 500)); // half-way through the load
                relay.kill();
                // The senders fail from here on; they stop at the deadline, before the restart is timed.
                acknowledged = sending.get((long) seconds + 120, TimeUnit.SECONDS).ok();
            }
        }
        try (ChildRelay relay = startRelay(database)) {
            Endpoint endpoint = Endpoint.local(relay.awaitUrl());
            awaitHealthy(endpoint, Duration.ofMinutes(2));
            long firstOk = (System.nanoTime() - relay.startedNanos()) / 1_000_000;
            long after = storedMessages(endpoint);
            if (after < before + acknowledged) {
                throw new AssertionError("after kill -9: " + (after - before) + " of " + acknowledged
                        + " acknowledged sends are in the store");
            }
            return firstOk;
        }
    }

    /** The relay's count of open streams, or -1 when it does not answer within two seconds. */
    private static long openStreams(Endpoint relay) {
        try {
            return json(relay.request("/api/stats").timeout(Duration.ofSeconds(2)).build()).get("streams").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long storedMessages(Endpoint relay) throws Exception {
        return json(relay.request("/api/stats").build()).get("messages").asLong();
    }

    /** Sends {@code request} and parses the answer's body as JSON. */
    private static JsonNode json(HttpRequest request) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    // ---- helpers ----

    /** Removes the bench's temporary folder; a file that cannot be removed is reported, not fatal. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (java.io.IOException e) {
            progress("could not remove " + root + ": " + e.getMessage());
        }
    }

    private ChildRelay startRelay(Path database) throws Exception {
        // Every bench stream comes from loopback: its 10,000 idle streams and 2,000 fan-out streams
        // are above the default per-address cap (4,096), which is for clients, not load generators.
        return ChildRelay.start(Map.of(databaseUrl != null ? "AGENT_RELAY_DATABASE_URL" : "AGENT_RELAY_DB",
                databaseUrl != null ? databaseUrl : database.toString(), "PORT", "0",
                "AGENT_RELAY_STREAM_QUEUE_BYTES", "1048576", "AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "16384"),
                "serve");
    }

    private long timeToFirstHealthy(Path database) throws Exception {
        try (ChildRelay relay = startRelay(database)) {
            awaitHealthy(Endpoint.local(relay.awaitUrl()), Duration.ofMinutes(2));
            return (System.nanoTime() - relay.startedNanos()) / 1_000_000;
        }
    }

    /** Bulk-loads {@code count} messages (and their events) straight into a migrated store file. */
    private long fill(Path database, int count) throws Exception {
        long start = System.currentTimeMillis();
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            sql.setAutoCommit(false);
            try (PreparedStatement message = sql.prepareStatement("INSERT INTO messages (from_agent, to_target, kind, body, "
                    + "claimable, meta, payload, delivery_status, created_at) VALUES (?, ?, 'chat', ?, 0, '{}', '{}', 'delivered', ?)");
                 PreparedStatement event = sql.prepareStatement("INSERT INTO events (type, ts, target, agent_id, data) "
                         + "VALUES ('message.new', ?, ?, ?, ?)")) {
                long now = System.currentTimeMillis();
                for (int i = 0; i < count; i++) {
                    String to = "agent-" + (i % 100);
                    message.setString(1, "bench");
                    message.setString(2, to);
                    message.setString(3, "history message " + i + " with a body of a typical length for an agent note");
                    message.setLong(4, now);
                    message.addBatch();
                    event.setLong(1, now);
                    event.setString(2, to);
                    event.setString(3, "bench");
                    event.setString(4, "{\"id\":" + (i + 1) + ",\"body\":\"history message " + i + "\"}");
                    event.addBatch();
                    if (i % 10_000 == 9_999) {
                        message.executeBatch();
                        event.executeBatch();
                    }
                }
                message.executeBatch();
                event.executeBatch();
            }
            sql.commit();
        }
        return System.currentTimeMillis() - start;
    }

    private void awaitHealthy(Endpoint url, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(url.request("/api/health").build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("relay at " + url + " not healthy within " + timeout);
    }

    private void register(Endpoint url, String id, List<String> tags, List<String> capabilities) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("name", id);
        body.put("tags", tags);
        body.put("capabilities", capabilities);
        HttpResponse<String> response = http.send(url.request("/api/agents")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("register " + id + ": " + response.statusCode() + " " + response.body());
        }
        registered.add(id);
    }

    private long lastEventId(Endpoint url) throws Exception {
        return json(url.request("/api/events?limit=1").build()).get("lastEventId").asLong();
    }

    private Map<Long, Integer> claimedEventsSince(Endpoint url, long after) throws Exception {
        Map<Long, Integer> counts = new LinkedHashMap<>();
        long cursor = after;
        while (true) {
            var events = json(url.request("/api/events?types=message.claimed&limit=1000&after=" + cursor).build())
                    .get("events");
            if (events.isEmpty()) {
                return counts;
            }
            for (var event : events) {
                counts.merge(event.get("data").get("id").asLong(), 1, Integer::sum);
                cursor = event.get("id").asLong();
            }
        }
    }

    private void record(String scenario, int concurrency, Load.Result result) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requestsPerSecond", Math.round(result.perSecond()));
        figures.put("ok", result.ok());
        figures.put("failed", result.failed());
        figures.putAll(Report.latency(result.latencyMicros()));
        report.put(scenario, "c" + concurrency, figures);
        progress(String.format("   %2d clients: %7d req/s  p50 %s ms  p99 %s ms  (%d failed)", concurrency,
                Math.round(result.perSecond()), Report.fmt(Report.ms(result.latencyMicros().getValueAtPercentile(50))),
                Report.fmt(Report.ms(result.latencyMicros().getValueAtPercentile(99))), result.failed()));
    }

    private static Buffer body(String from, String to, long n) {
        return Buffer.buffer("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"subject\":\"bench\",\"body\":\"message " + n
                + " of the benchmark, about as long as a short note from one agent to another\"}");
    }

    private static Buffer timedBody(String to) {
        return Buffer.buffer("{\"from\":\"bench\",\"to\":\"" + to + "\",\"body\":\"t=" + System.nanoTime() + "\"}");
    }

    /** Records now minus the send time found in a frame's {@code "body":"t=<nanos>"}. */
    private static void recordSince(Histogram histogram, String frame) {
        int at = frame.indexOf("\"body\":\"t=");
        if (at < 0) {
            return;
        }
        int from = at + 10;
        int to = frame.indexOf('"', from);
        long sent = Long.parseLong(frame.substring(from, to));
        histogram.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
    }

    private static Histogram histogram() {
        return new ConcurrentHistogram(3_600_000_000L, 3);
    }

    private static void awaitCount(AtomicLong count, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + count.get() + " of " + expected + " arrived");
            }
            Thread.sleep(5);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static void progress(String text) {
        System.err.println(text);
        System.err.flush();
    }

    private void compareWithGoals() {
        Set<String> ran = new LinkedHashSet<>(only == null ? SCENARIOS : only);
        long base64 = figure("baseline", "c64");
        long send64 = figure("send", "c64");
        if (ran.contains("send")) {
            String ratio = base64 > 0 ? Report.fmt(100.0 * send64 / base64) + "% of baseline " + base64 : "no baseline";
            report.goal("durable send, 64 clients: >= 40% of baseline and >= 20,000 msg/s", send64 + " msg/s (" + ratio + ")",
                    base64 > 0 ? send64 >= 0.4 * base64 && send64 >= 20_000 : null);
        }
        if (ran.contains("deliver")) {
            for (String kind : List.of("Sse", "Ws")) {
                Map<?, ?> at = (Map<?, ?>) report.get("deliver", "at1000PerSecond" + kind);
                if (at != null) {
                    double p50 = (Double) at.get("p50Ms");
                    double p99 = (Double) at.get("p99Ms");
                    report.goal("deliver at 1,000 msg/s (" + kind.toUpperCase(java.util.Locale.ROOT) + "): p50 <= 1 ms, p99 <= 5 ms",
                            "p50 " + Report.fmt(p50) + " ms, p99 " + Report.fmt(p99) + " ms", p50 <= 1 && p99 <= 5);
                }
            }
        }
        if (ran.contains("fanout")) {
            Map<?, ?> all = (Map<?, ?>) report.get("fanout", "allReceived");
            if (all != null) {
                double p99 = (Double) all.get("p99Ms");
                report.goal("broadcast to 1,000 SSE + 1,000 WebSocket: p99 <= 100 ms",
                        "p99 " + Report.fmt(p99) + " ms over " + report.get("fanout", "streams") + " streams", smoke ? null : p99 <= 100);
            }
            Object rss = report.get("memory", "relayRssWithIdleStreamsMb");
            if (rss instanceof Number n) {
                Object streams = report.get("memory", "idleStreams");
                boolean allOpen = streams instanceof Number s && s.longValue() >= 10_000;
                report.goal("10,000 idle streams within 512 MB RSS", n + " MB with " + streams + " streams",
                        (smoke || !allOpen) ? null : n.longValue() <= 512);
            }
        }
        Object idle = report.get("memory", "relayIdleRssMb");
        if (idle instanceof Number n) {
            report.goal("relay idle RSS <= 200 MB", n + " MB", n.longValue() <= 200);
        }
        if (ran.contains("claims")) {
            Object rate = report.get("claims", "claimsPerSecond");
            Object doubles = report.get("claims", "doubleClaims");
            if (rate instanceof Number r && doubles instanceof Number d) {
                report.goal("claims: >= 5,000/s with zero double claims", r + " claims/s (median of "
                        + report.get("claims", "rounds") + " rounds), " + d + " double claims",
                        r.longValue() >= 5_000 && d.longValue() == 0);
            }
        }
        if (ran.contains("startup")) {
            Object empty = report.get("startup", "emptyStoreMs");
            Object full = report.get("startup", "filledStoreMs");
            Object killed = report.get("startup", "afterKillMs");
            if (empty instanceof List<?> e && full instanceof List<?> f && killed instanceof List<?> k && !e.isEmpty()
                    && !f.isEmpty() && !k.isEmpty()) {
                long emptyMedian = ((Number) e.get(e.size() / 2)).longValue();
                long fullMedian = ((Number) f.get(f.size() / 2)).longValue();
                long recoveryMedian = ((Number) k.get(k.size() / 2)).longValue();
                // Recovery counts as a start with the million messages: the same store, plus a WAL to replay.
                report.goal("start-up: <= 1.5 s empty, <= 3 s with 1,000,000 messages (also after kill -9)",
                        emptyMedian + " ms empty, " + fullMedian + " ms with " + report.get("startup", "filledMessages")
                                + " messages, " + recoveryMedian + " ms after kill -9",
                        smoke ? null : emptyMedian <= 1_500 && fullMedian <= 3_000 && recoveryMedian <= 3_000);
            }
        }
        report.line("## Figures\n\n```json\n" + prettyResults() + "\n```");
    }

    private long figure(String scenario, String step) {
        Object value = report.get(scenario, step);
        if (value instanceof Map<?, ?> map && map.get("requestsPerSecond") instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    private String prettyResults() {
        try {
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : List.of("baseline", "send", "deliver", "fanout", "claims", "startup", "memory")) {
                for (String key : List.of("c1", "c16", "c64", "at1000PerSecondSse", "at1000PerSecondWs", "maxRatePerSecond",
                        "jitSettleSeconds", "jitQuiet", "atMaxSse", "atMaxWs", "streams", "broadcasts", "allReceived", "claimsPerSecond", "claimsPerSecondRounds", "attempts",
                        "conflicts409", "doubleClaims", "unclaimed", "emptyStoreMs", "filledMessages", "filledStoreMs", "afterKillMs", "relayStartupCache",
                        "fillSeconds", "relayIdleRssMb", "idleStreams", "relayRssWithIdleStreamsMb", "idleStreamsStopped", "threadDumpAtStall", "error")) {
                    Object value = report.get(name, key);
                    if (value != null) {
                        all.put(name + "." + key, value);
                    }
                }
            }
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{}";
        }
    }
}
