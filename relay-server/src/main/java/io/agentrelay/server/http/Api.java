package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.Json;
import io.agentrelay.server.metrics.RelayMetrics;
import io.agentrelay.server.metrics.RouteTimer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

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

    /**
     * A route as registered: its method and path template ({@code :name} parameters), and whether
     * it answers JSON (a raw route writes its own response: a stream, an upgrade, text, files).
     */
    record Endpoint(String method, String path, boolean json) {
    }

    private final Router router;
    private final int maxJsonDepth;
    private final RelayMetrics metrics;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    Api(Router router, int maxJsonDepth, RelayMetrics metrics) {
        this.router = router;
        this.maxJsonDepth = maxJsonDepth;
        this.metrics = metrics;
    }

    /** Every route registered through this object, in order; a GET's HEAD is not listed apart. */
    List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    /**
     * A route whose handler writes its own response (a stream, an upgrade, text, files): not timed
     * nor rendered here, but listed in {@link #endpoints()} like the others.
     */
    Route raw(HttpMethod method, String path) {
        endpoints.add(new Endpoint(method.name(), path, false));
        return router.route(method, path);
    }

    /**
     * A GET endpoint, answering HEAD too (load balancers probe with HEAD): the same status and
     * headers, and Vert.x leaves the body out.
     */
    Api get(String path, Handler handler) {
        route(HttpMethod.HEAD, path, handler);
        return listed(HttpMethod.GET, path, handler);
    }

    Api post(String path, Handler handler) {
        return listed(HttpMethod.POST, path, handler);
    }

    Api put(String path, Handler handler) {
        return listed(HttpMethod.PUT, path, handler);
    }

    Api patch(String path, Handler handler) {
        return listed(HttpMethod.PATCH, path, handler);
    }

    Api delete(String path, Handler handler) {
        return listed(HttpMethod.DELETE, path, handler);
    }

    /** Registers the route and lists it in {@link #endpoints()}. */
    private Api listed(HttpMethod method, String path, Handler handler) {
        endpoints.add(new Endpoint(method.name(), path, true));
        return route(method, path, handler);
    }

    /** Registers the route, timed in {@code /metrics} under its method and template. */
    private Api route(HttpMethod method, String path, Handler handler) {
        RouteTimer timer = metrics.route(method.name(), path);
        router.route(method, path).handler(context -> {
            long began = System.nanoTime();
            context.addEndHandler(ended -> {
                if (ended.succeeded()) {
                    timer.record(context.response().getStatusCode(), System.nanoTime() - began);
                }
            });
            run(context, handler, maxJsonDepth);
        });
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
