package io.agentrelay.cli.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
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
 */
final class Load implements AutoCloseable {
    private final Vertx vertx;
    private final HttpClientAgent client;
    private final Endpoint.Address relay;
    /** Every node the closed-loop workers spread over (worker w talks to node w mod n); the first is {@link #relay}. */
    private final List<Endpoint.Address> nodes;

    Load(Vertx vertx, Endpoint relay, int connections) {
        this(vertx, List.of(relay), connections);
    }

    /** Load spread over several nodes of one cluster (each gets {@code connections} connections at most). */
    Load(Vertx vertx, List<Endpoint> nodes, int connections) {
        this.vertx = vertx;
        this.nodes = nodes.stream().map(Endpoint::address).toList();
        this.relay = this.nodes.get(0);
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                        .setSsl(nodes.get(0).ssl()),
                new PoolOptions().setHttp1MaxSize(Math.max(1, connections)));
    }

    /** What a closed-loop run measured. */
    record Result(long ok, long failed, double seconds, Histogram latencyMicros) {
        double perSecond() {
            return ok / seconds;
        }
    }

    /** One request: method, path, body; completes with the status code. */
    Future<Integer> call(HttpMethod method, String path, Buffer body) {
        return call(relay, method, path, body);
    }

    private Future<Integer> call(Endpoint.Address node, HttpMethod method, String path, Buffer body) {
        RequestOptions options = node.to(new RequestOptions().setMethod(method), path)
                .putHeader("Content-Type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> response.statusCode()));
    }

    /** Like {@link #call} but also hands back the response body. */
    Future<Buffer> fetch(HttpMethod method, String path, Buffer body) {
        RequestOptions options = relay.to(new RequestOptions().setMethod(method), path)
                .putHeader("Content-Type", "application/json");
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body());
    }

    /**
     * {@code concurrency} workers each send a request, wait for its answer, and send the next, for
     * {@code seconds}; request n's body comes from {@code bodies}. 2xx counts as success.
     */
    Result closedLoop(int concurrency, double seconds, String path, LongFunction<Buffer> bodies) throws Exception {
        Histogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        CompletableFuture<?>[] workers = new CompletableFuture<?>[concurrency];
        for (int w = 0; w < concurrency; w++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            workers[w] = done;
            Endpoint.Address node = nodes.get(w % nodes.size());
            vertx.runOnContext(v -> next(node, path, bodies, sequence, deadline, latency, ok, failed, done));
        }
        CompletableFuture.allOf(workers).get((long) seconds + 120, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get(), failed.get(), elapsed, latency);
    }

    private void next(Endpoint.Address node, String path, LongFunction<Buffer> bodies, AtomicLong sequence,
                      long deadline, Histogram latency, AtomicLong ok, AtomicLong failed, CompletableFuture<Void> done) {
        if (System.nanoTime() >= deadline) {
            done.complete(null);
            return;
        }
        long sent = System.nanoTime();
        call(node, HttpMethod.POST, path, bodies.apply(sequence.getAndIncrement())).onComplete(result -> {
            if (result.succeeded() && result.result() / 100 == 2) {
                ok.incrementAndGet();
                latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
            } else {
                failed.incrementAndGet();
            }
            next(node, path, bodies, sequence, deadline, latency, ok, failed, done);
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
