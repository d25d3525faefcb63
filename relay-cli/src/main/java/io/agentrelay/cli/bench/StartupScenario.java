package io.agentrelay.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and recovery: time from process start to the first 200 on {@code /api/health}, on a new
 * store and on one holding a million messages; then the relay on that store is killed with SIGKILL
 * under load and started again, and every acknowledged send must be in the store.
 */
final class StartupScenario implements Scenario {
    @Override
    public String name() {
        return "startup";
    }

    @Override
    public boolean measuresTheRelay() {
        return false;
    }

    @Override
    public ScenarioResult run(BenchRun run) throws Exception {
        int runs = run.smoke() ? 1 : 3;
        // One unmeasured start first: with a class-data archive (before JDK 25) it writes the
        // archive if this build has none yet, as the first `agent-relay serve` after a build does
        // (an AOT cache is made before any start); the measured starts are the ones every later
        // start of the relay looks like.
        timeToFirstHealthy(run, run.work().resolve("archive.db"));
        List<Long> empty = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            empty.add(timeToFirstHealthy(run, run.work().resolve("empty-" + i + ".db")));
        }
        Collections.sort(empty);
        int size = run.smoke() ? 10_000 : 1_000_000;
        Path big = run.work().resolve("big.db");
        long fillMillis = StoreFill.fill(big, size);
        BenchRun.progress("   filled a store with " + size + " messages through its bulk import in " + fillMillis + " ms");
        List<Long> full = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            full.add(timeToFirstHealthy(run, big));
        }
        Collections.sort(full);
        BenchRun.progress("   first 200: empty store " + empty + " ms; " + size + " messages " + full + " ms");
        List<Long> recovered = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            recovered.add(timeToRecover(run, big));
        }
        Collections.sort(recovered);
        BenchRun.progress("   first 200 after kill -9 under load, on the filled store: " + recovered + " ms");
        return new ScenarioResult.Startup(empty, size, fillMillis / 1000.0, full, recovered);
    }

    private static long timeToFirstHealthy(BenchRun run, Path database) throws Exception {
        try (ChildRelay relay = run.startRelay(database)) {
            RelayCalls.awaitHealthy(Endpoint.local(relay.awaitUrl()), Duration.ofMinutes(2));
            return (System.nanoTime() - relay.startedNanos()) / 1_000_000;
        }
    }

    /**
     * Recovery: the relay on {@code database} takes sends from 64 clients, is killed with SIGKILL
     * half-way, and is started again. Returns the time from that start to its first 200, after
     * checking that every send it had acknowledged is in the store (or failing the scenario).
     */
    private static long timeToRecover(BenchRun run, Path database) throws Exception {
        long before;
        long acknowledged;
        try (ChildRelay relay = run.startRelay(database)) {
            Endpoint endpoint = Endpoint.local(relay.awaitUrl());
            RelayCalls.awaitHealthy(endpoint, Duration.ofMinutes(2));
            before = RelayCalls.storedMessages(endpoint);
            double seconds = run.smoke() ? 0.5 : 2;
            try (Load load = new Load(run.vertx(), run.loops(), List.of(endpoint), 64)) {
                CompletableFuture<Load.Result> sending = CompletableFuture.supplyAsync(() -> {
                    try {
                        return load.closedLoop(64, seconds, "/api/messages", n -> Bodies.note("bench", "bench-sink", n));
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
        try (ChildRelay relay = run.startRelay(database)) {
            Endpoint endpoint = Endpoint.local(relay.awaitUrl());
            RelayCalls.awaitHealthy(endpoint, Duration.ofMinutes(2));
            long firstOk = (System.nanoTime() - relay.startedNanos()) / 1_000_000;
            long after = RelayCalls.storedMessages(endpoint);
            if (after < before + acknowledged) {
                throw new AssertionError("after kill -9: " + (after - before) + " of " + acknowledged
                        + " acknowledged sends are in the store");
            }
            return firstOk;
        }
    }
}
