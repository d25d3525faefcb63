package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.Json;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.store.StoreException;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns a failure into an HTTP status and an {@code {"error": ...}} body. */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    /** When a client should try again after a 503 from an unavailable store. */
    private static final long STORE_RETRY_AFTER_SECONDS = 1;

    private Errors() {
    }

    static void render(RoutingContext context, Throwable failure) {
        Throwable error = unwrap(failure);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (error instanceof RelayError relay) {
            status = status(relay);
            body.put("error", relay.getMessage());
            if (relay instanceof RelayError.InvalidInput invalid && invalid.field() != null) {
                body.put("field", invalid.field());
            }
            if (relay instanceof RelayError.Conflict conflict) {
                body.putAll(conflict.details());
            }
            if (relay instanceof RelayError.RateLimited limited) {
                body.put("retryAfter", limited.retryAfterSeconds());
                context.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
            }
        } else if (error instanceof StoreException store && store.unavailable() != null) {
            // Locked, full, or unreachable: a condition that passes. Say so, and when to come back.
            status = 503;
            LOG.warn("{} {}: the store is unavailable ({})", context.request().method(), context.request().path(),
                    store.unavailable());
            body.put("error", "the store cannot take this request right now (" + store.unavailable()
                    + "); nothing was written, retry shortly");
            body.put("retryAfter", STORE_RETRY_AFTER_SECONDS);
            context.response().putHeader("Retry-After", Long.toString(STORE_RETRY_AFTER_SECONDS));
        } else {
            status = 500;
            LOG.error("{} {} failed", context.request().method(), context.request().path(), error);
            body.put("error", "internal error");
        }
        send(context, status, body);
    }

    static void send(RoutingContext context, int status, Map<String, Object> body) {
        if (context.response().ended() || context.response().closed()) {
            return;
        }
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            json = "{\"error\":\"internal error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            status = 500;
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(io.vertx.core.buffer.Buffer.buffer(json));
    }

    static void send(RoutingContext context, int status, String message) {
        send(context, status, Map.of("error", message));
    }

    private static int status(RelayError error) {
        return switch (error) {
            case RelayError.InvalidInput ignored -> 400;
            case RelayError.Unauthorized ignored -> 401;
            case RelayError.Forbidden ignored -> 403;
            case RelayError.NotFound ignored -> 404;
            case RelayError.Conflict ignored -> 409;
            case RelayError.PayloadTooLarge ignored -> 413;
            case RelayError.RateLimited ignored -> 429;
        };
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
