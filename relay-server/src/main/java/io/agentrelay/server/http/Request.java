package io.agentrelay.server.http;

import io.agentrelay.server.errors.RelayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** A handler's view of one HTTP request. */
final class Request {
    private final RoutingContext context;
    private final int maxJsonDepth;
    private JsonBody body;

    Request(RoutingContext context, int maxJsonDepth) {
        this.context = context;
        this.maxJsonDepth = maxJsonDepth;
    }

    JsonBody json() {
        if (body == null) {
            Buffer raw = context.body() == null ? null : context.body().buffer();
            body = JsonBody.parse(raw == null ? null : raw.getBytes(), maxJsonDepth);
        }
        return body;
    }

    String path(String name) {
        return context.pathParam(name);
    }

    String query(String name) {
        return context.queryParams().get(name);
    }

    String requiredQuery(String name) {
        String value = query(name);
        if (value == null || value.isEmpty()) {
            throw new RelayError.InvalidInput(name, "is required");
        }
        return value;
    }

    String header(String name) {
        return context.request().getHeader(name);
    }

    /** The 404 the router gives a path it has no route for, for a handler that finds it has none. */
    RelayError.NotFound noRoute() {
        return new RelayError.NotFound("no route for " + context.request().method() + " " + context.request().path());
    }

    RoutingContext context() {
        return context;
    }
}
