package io.agentrelay.cli.bench;

import io.agentrelay.api.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Claims under contention: 64 agents race for claimable messages, each walking them in its own
 * random order and skipping the ones it has seen taken. Two warm-up rounds (checked, not
 * reported), then three measured; the figure is the median round. Every round checks that the
 * relay's log holds exactly one {@code message.claimed} per message and the clients saw exactly one
 * 200 per message, and fails the scenario otherwise.
 */
final class ClaimsScenario implements Scenario {
    private static final int CLAIMERS = 64;

    @Override
    public String name() {
        return "claims";
    }

    @Override
    public ScenarioResult run(BenchRun run) throws Exception {
        for (int i = 0; i < CLAIMERS; i++) {
            run.register("bench-claimer-" + i, List.of("bench-claim"));
        }
        int messages = run.smoke() ? 300 : 10_000;
        // Warm-up rounds: a round lasts one or two seconds, and measured right after the other
        // scenarios it mostly timed the JIT compiling the claim path (docs/performance.md, "How it
        // measures", claims).
        for (int round = 0; round < (run.smoke() ? 1 : 2); round++) {
            race(run, run.smoke() ? 50 : messages, "warm-up");
        }
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < (run.smoke() ? 1 : 3); round++) {
            rounds.add(race(run, messages, "round " + (round + 1)));
        }
        List<Long> rates = rounds.stream().map(Round::claimsPerSecond).sorted().toList();
        return new ScenarioResult.Claims(CLAIMERS, messages, rounds.size(), rates.get(rates.size() / 2),
                rounds.stream().map(Round::claimsPerSecond).toList(), rounds.stream().mapToLong(Round::attempts).sum(),
                rounds.stream().mapToLong(Round::conflicts).sum(), rounds.stream().mapToLong(Round::errors).sum(),
                rounds.stream().mapToLong(Round::doubleClaims).sum(), rounds.stream().mapToLong(Round::unclaimed).sum());
    }

    /** One measured race: every message claimed once by one of the claimers. */
    private record Round(long claimsPerSecond, long attempts, long conflicts, long errors, long doubleClaims,
                         long unclaimed) {
    }

    /** The counters of one race, updated from the event loops. */
    private record Tally(AtomicIntegerArray wins, AtomicIntegerArray taken, AtomicLong attempts, AtomicLong conflicts,
                         AtomicLong errors) {
        Tally(int messages) {
            this(new AtomicIntegerArray(messages), new AtomicIntegerArray(messages), new AtomicLong(), new AtomicLong(),
                    new AtomicLong());
        }
    }

    private static Round race(BenchRun run, int messages, String label) throws Exception {
        Endpoint url = run.relay();
        long firstEvent = RelayCalls.lastEventId(url);
        long[] ids = new long[messages];
        try (Load load = run.loadOnFirstNode(64)) {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> creating = new ArrayList<>();
            for (int w = 0; w < 64; w++) {
                creating.add(createClaimables(load, next, messages, ids));
            }
            DeliverScenario.await(Future.all(creating));
            Tally tally = new Tally(messages);
            long start = System.nanoTime();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < CLAIMERS; w++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, new Random(w));
                CompletableFuture<Void> done = new CompletableFuture<>();
                workers.add(done);
                String agent = "bench-claimer-" + w;
                run.vertx().runOnContext(v -> claimNext(load, agent, order, 0, ids, tally, done));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            int doubleLocal = 0;
            int unclaimed = 0;
            for (int i = 0; i < messages; i++) {
                if (tally.wins().get(i) > 1) {
                    doubleLocal++;
                }
                if (tally.wins().get(i) == 0) {
                    unclaimed++;
                }
            }
            // The relay's own record: exactly one message.claimed event per message.
            Map<Long, Integer> claimedEvents = RelayCalls.claimedEventsSince(url, firstEvent);
            long doubleInLog = claimedEvents.values().stream().filter(c -> c > 1).count();
            long missingInLog = Arrays.stream(ids).filter(id -> !claimedEvents.containsKey(id)).count();
            Round round = new Round(Math.round(messages / elapsed), tally.attempts().get(), tally.conflicts().get(),
                    tally.errors().get(), doubleLocal + doubleInLog, unclaimed + missingInLog);
            BenchRun.progress(String.format("   %s: %d claims/s (%d messages, %d attempts, %d x 409), double claims: %d,"
                            + " unclaimed: %d", label, round.claimsPerSecond(), messages, round.attempts(),
                    round.conflicts(), round.doubleClaims(), round.unclaimed()));
            if (round.unclaimed() > 0 || round.errors() > 0 || round.doubleClaims() > 0) {
                throw new AssertionError("claims check failed: unclaimed " + round.unclaimed() + ", errors "
                        + round.errors() + ", double claims " + round.doubleClaims());
            }
            return round;
        }
    }

    private static Future<Void> createClaimables(Load load, AtomicInteger next, int messages, long[] ids) {
        int n = next.getAndIncrement();
        if (n >= messages) {
            return Future.succeededFuture();
        }
        Buffer body = Buffer.buffer("{\"from\":\"bench\",\"to\":\"cap:bench-claim\",\"claimable\":true,\"body\":\"work " + n + "\"}");
        return load.fetch(HttpMethod.POST, "/api/messages", body).compose(response -> {
            try {
                ids[n] = Json.mapper().readTree(response.getBytes()).get("id").asLong();
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
            return createClaimables(load, next, messages, ids);
        });
    }

    private static void claimNext(Load load, String agent, List<Integer> order, int position, long[] ids, Tally tally,
                                  CompletableFuture<Void> done) {
        int at = position;
        while (at < order.size() && tally.taken().get(order.get(at)) != 0) {
            at++;
        }
        if (at >= order.size()) {
            done.complete(null);
            return;
        }
        int index = order.get(at);
        int following = at + 1;
        tally.attempts().incrementAndGet();
        load.call(HttpMethod.POST, "/api/messages/" + ids[index] + "/claim", Buffer.buffer("{\"agentId\":\"" + agent + "\"}"))
                .onComplete(result -> {
                    if (result.succeeded() && result.result() == 200) {
                        tally.wins().incrementAndGet(index);
                        tally.taken().set(index, 1);
                    } else if (result.succeeded() && result.result() == 409) {
                        tally.conflicts().incrementAndGet();
                        tally.taken().set(index, 1);
                    } else {
                        tally.errors().incrementAndGet();
                    }
                    claimNext(load, agent, order, following, ids, tally, done);
                });
    }
}
