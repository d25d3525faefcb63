package io.agentrelay.cli.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-relay bench-baseline} (hidden): the benchmark's ceiling. The same server stack as
 * the relay (Vert.x router, body handler, JSON response) with nothing behind it, so the ratio of
 * relay to baseline says what the relay's own work costs on this machine, in this run.
 */
@Command(name = "bench-baseline", hidden = true, description = "Minimal server on the relay's stack (benchmark ceiling).")
public final class BaselineCommand implements Callable<Integer> {
    private static final Buffer CREATED = Buffer.buffer("{\"id\":1,\"created\":true}");

    @Option(names = "--port", defaultValue = "0")
    int port;

    /** One server per event loop, as the relay's edge does. */
    private static final class Server extends VerticleBase {
        private final int port;
        private final List<HttpServer> started;

        Server(int port, List<HttpServer> started) {
            this.port = port;
            this.started = started;
        }

        @Override
        public Future<?> start() {
            Router router = Router.router(vertx);
            router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
            router.post("/api/baseline").handler(context -> context.response().setStatusCode(201)
                    .putHeader("Content-Type", "application/json; charset=utf-8").end(CREATED));
            router.get("/api/health").handler(context -> context.response().end("{\"ok\":true}"));
            return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").onSuccess(started::add);
        }
    }

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<HttpServer> servers = new CopyOnWriteArrayList<>();
        int shared = port;
        if (shared == 0) {
            // Pick a free port first, so that every server instance shares it.
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                shared = probe.getLocalPort();
            }
        }
        int listenOn = shared;
        vertx.deployVerticle(() -> new Server(listenOn, servers),
                new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
                .toCompletionStage().toCompletableFuture().get();
        int actual = servers.get(0).actualPort();
        System.out.println("baseline listening on http://127.0.0.1:" + actual);
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
