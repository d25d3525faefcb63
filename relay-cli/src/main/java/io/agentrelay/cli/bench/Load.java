package io.agentrelay.cli.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * HTTP load from the benchmark's own JVM: keep-alive connections on Vert.x event loops, so the
 * client costs little and the same client measures the baseline and the relay.
 *
 * <p>Closed-loop workers are spread over the given event loops (one per core), each loop with a
 * client of its own, so a connection and the worker using it stay on one thread. Driven from a
 * single loop, the load generator rather than the server bounded the baseline (docs/performance.md,
 * "Seventh session", compares it with {@code wrk}).
 */
final class Load implements AutoCloseable {
    private final List<Context> loops;
    /** One client per event loop: its connections are created on, and used from, that loop. */
    private final List<HttpClientAgent> clients = new ArrayList<>();
    /** Every node the closed-loop workers spread over (worker w talks to node w mod n). */
    private final List<Endpoint.Address> nodes;

    /** Load spread over several nodes of one cluster (each gets {@code connections} connections at most). */
    Load(Vertx vertx, List<Context> loops, List<Endpoint> nodes, int connections) {
        this.loops = List.copyOf(loops);
        this.nodes = nodes.stream().map(Endpoint::address).toList();
        int perLoop = Math.max(1, (connections * nodes.size() + loops.size() - 1) / loops.size());
        for (int i = 0; i < loops.size(); i++) {
            clients.add(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                            .setSsl(nodes.get(0).ssl()), new PoolOptions().setHttp1MaxSize(perLoop)));
        }
    }

    /** What a closed-loop run measured. */
    record Result(long ok, long failed, double seconds, Histogram latencyMicros) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /** One request to the first node: method, path, body; completes with the status code. */
    Future<Integer> call(HttpMethod method, String path, Buffer body) {
        return call(clients.get(0), nodes.get(0), method, path, body);
    }

    private Future<Integer> call(HttpClientAgent client, Endpoint.Address node, HttpMethod method, String path,
                                 Buffer body) {
        RequestOptions options = node.to(new RequestOptions().setMethod(method), path)
                .putHeader("Content-Type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> response.statusCode()));
    }

    /** Like {@link #call} but also hands back the response body. */
    Future<Buffer> fetch(HttpMethod method, String path, Buffer body) {
        RequestOptions options = nodes.get(0).to(new RequestOptions().setMethod(method), path)
                .putHeader("Content-Type", "application/json");
        return clients.get(0).request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body());
    }

    /**
     * {@code concurrency} workers spread over every event loop each send a request, wait for its
     * answer, and send the next, for {@code seconds}; request n's body comes from {@code bodies}.
     * 2xx counts as success.
     */
    Result closedLoop(int concurrency, double seconds, String path, LongFunction<Buffer> bodies) throws Exception {
        return closedLoop(concurrency, loops.size(), seconds, path, bodies);
    }

    /** {@link #closedLoop(int, double, String, LongFunction)} from the first {@code useLoops} event loops only. */
    Result closedLoop(int concurrency, int useLoops, double seconds, String path, LongFunction<Buffer> bodies)
            throws Exception {
        // Recorded into from every loop at once; read only after every worker has finished.
        Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        CompletableFuture<?>[] workers = new CompletableFuture<?>[concurrency];
        int spread = Math.min(useLoops, loops.size());
        for (int w = 0; w < concurrency; w++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers[w] = done;
            Endpoint.Address node = nodes.get(w % nodes.size());
            HttpClientAgent client = clients.get(w % spread);
            Worker worker = new Worker(client, node, path, bodies, sequence, deadline, latency, ok, failed, done);
            loops.get(w % spread).runOnContext(v -> worker.next());
        }
        CompletableFuture.allOf(workers).get((long) seconds + 120, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get(), failed.get(), elapsed, latency);
    }

    /** One closed-loop client: sends, waits for the answer, records it, sends again until the deadline. */
    private final class Worker {
        private final HttpClientAgent client;
        private final Endpoint.Address node;
        private final String path;
        private final LongFunction<Buffer> bodies;
        private final AtomicLong sequence;
        private final long deadline;
        private final Histogram latency;
        private final AtomicLong ok;
        private final AtomicLong failed;
        private final CompletableFuture<Void> done;

        Worker(HttpClientAgent client, Endpoint.Address node, String path, LongFunction<Buffer> bodies,
               AtomicLong sequence, long deadline, Histogram latency, AtomicLong ok, AtomicLong failed,
               CompletableFuture<Void> done) {
            this.client = client;
            this.node = node;
            this.path = path;
            this.bodies = bodies;
            this.sequence = sequence;
            this.deadline = deadline;
            this.latency = latency;
            this.ok = ok;
            this.failed = failed;
            this.done = done;
        }

        void next() {
            if (System.nanoTime() >= deadline) {
                done.complete(null);
                return;
            }
            long sent = System.nanoTime();
            call(client, node, HttpMethod.POST, path, bodies.apply(sequence.getAndIncrement())).onComplete(result -> {
                if (result.succeeded() && result.result() / 100 == 2) {
                    ok.incrementAndGet();
                    latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                } else {
                    failed.incrementAndGet();
                }
                next();
            });
        }
    }

    @Override
    public void close() {
        clients.forEach(HttpClientAgent::close);
    }
}
