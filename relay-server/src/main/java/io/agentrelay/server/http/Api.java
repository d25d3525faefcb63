package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.Json;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;

/**
 * Registers JSON handlers on the router. A handler parses its request, calls one service method and
 * says how to render the result; failures, synchronous or not, all go to {@link Errors}.
 */
final class Api {

    /** A JSON endpoint: from a request to a reply, usually via a service's future. */
    @FunctionalInterface
    interface Handler {
        CompletionStage<Reply> handle(Request request);
    }

    private final Router router;
    private final int maxJsonDepth;

    Api(Router router, int maxJsonDepth) {
        this.router = router;
        this.maxJsonDepth = maxJsonDepth;
    }

    Router router() {
        return router;
    }

    /**
     * A GET endpoint, answering HEAD too (load balancers probe with HEAD): the same status and
     * headers, and Vert.x leaves the body out.
     */
    Api get(String path, Handler handler) {
        on(HttpMethod.HEAD, path, handler);
        return on(HttpMethod.GET, path, handler);
    }

    Api post(String path, Handler handler) {
        return on(HttpMethod.POST, path, handler);
    }

    Api put(String path, Handler handler) {
        return on(HttpMethod.PUT, path, handler);
    }

    Api patch(String path, Handler handler) {
        return on(HttpMethod.PATCH, path, handler);
    }

    Api delete(String path, Handler handler) {
        return on(HttpMethod.DELETE, path, handler);
    }

    private Api on(HttpMethod method, String path, Handler handler) {
        router.route(method, path).handler(context -> run(context, handler, maxJsonDepth));
        return this;
    }

    private static void run(RoutingContext context, Handler handler, int maxJsonDepth) {
        CompletionStage<Reply> reply;
        try {
            reply = handler.handle(new Request(context, maxJsonDepth));
        } catch (RuntimeException e) {
            Errors.render(context, e);
            return;
        }
        Context home = Vertx.currentContext();
        reply.whenComplete((result, error) -> {
            // Writes complete on this request's event loop already (see EventLoopExecutors); reads
            // and anything else complete elsewhere and are handed back to it.
            if (Vertx.currentContext() == home) {
                settle(context, result, error);
            } else {
                home.runOnContext(v -> settle(context, result, error));
            }
        });
    }

    private static void settle(RoutingContext context, Reply reply, Throwable error) {
        if (error != null) {
            Errors.render(context, error);
        } else {
            render(context, reply);
        }
    }

    static void render(RoutingContext context, Reply reply) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        Buffer body;
        try {
            body = Buffer.buffer(Json.mapper().writeValueAsBytes(reply.body()));
        } catch (JsonProcessingException e) {
            Errors.render(context, e);
            return;
        }
        context.response()
                .setStatusCode(reply.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body);
    }
}
