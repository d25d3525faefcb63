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
        return json(JsonBody.NOT_AN_OBJECT);
    }

    /** The body as a JSON object; a body that is JSON but not an object is refused with {@code notAnObject}. */
    JsonBody json(String notAnObject) {
        if (body == null) {
            body = JsonBody.parse(bytes(), maxJsonDepth, notAnObject);
        }
        return body;
    }

    /** The body, which must be a JSON object (not empty): anything else is refused with {@code notAnObject}. */
    JsonBody jsonObject(String notAnObject) {
        if (body == null) {
            body = JsonBody.parseObject(bytes(), maxJsonDepth, notAnObject);
        }
        return body;
    }

    private byte[] bytes() {
        Buffer raw = context.body() == null ? null : context.body().buffer();
        return raw == null ? null : raw.getBytes();
    }

    String path(String name) {
        return withoutNul(name, context.pathParam(name));
    }

    String query(String name) {
        return withoutNul(name, context.queryParams().get(name));
    }

    /** A decoded {@code %00} would reach the store, and PostgreSQL refuses NUL in text (a 500). */
    private static String withoutNul(String name, String value) {
        if (value != null && value.indexOf('\0') >= 0) {
            throw new RelayError.InvalidInput(name, "must not hold the NUL character (%00)");
        }
        return value;
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
