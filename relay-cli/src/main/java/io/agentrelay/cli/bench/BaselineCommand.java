package io.agentrelay.cli.bench;

import io.vertx.core.Vertx;
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

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        router.post("/api/baseline").handler(context -> context.response().setStatusCode(201)
                .putHeader("Content-Type", "application/json; charset=utf-8").end(CREATED));
        router.get("/api/health").handler(context -> context.response().end("{\"ok\":true}"));
        HttpServer server = vertx.createHttpServer().requestHandler(router)
                .listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        System.out.println("baseline listening on http://127.0.0.1:" + server.actualPort());
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
