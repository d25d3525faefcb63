package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.agentrelay.api.Json;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.store.StoreException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error table: every failure the relay reports, from a service, a filter (authentication,
 * body limits, connection deadlines) or a route, is a typed error rendered here, as an HTTP status
 * with an {@code {"error": ...}} body or as a WebSocket close code and reason. Nothing else in the
 * edge chooses an error status or a close code. An unexpected exception is logged with the request
 * it failed and answered 500 (WebSocket: 1011) without its details.
 */
final class Errors {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    /** When a client should try again after a 503 from an unavailable store. */
    static final long STORE_RETRY_AFTER_SECONDS = 1;
    private static final byte[] INTERNAL = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);

    private Errors() {
    }

    /** A failure as an HTTP answer: status, JSON body and extra headers. */
    record Answer(int status, Map<String, Object> body, Map<String, String> headers) {
    }

    /** A failure as a WebSocket close: why, and the close reason text (at most 123 bytes on the wire). */
    record Close(StreamEnd end, String reason) {
    }

    /** The table: what the client is told about {@code failure}. {@code where} names the request for the log. */
    static Answer answer(Throwable failure, String where) {
        Throwable error = unwrap(failure);
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        if (error instanceof RelayError relay) {
            body.put("error", relay.getMessage());
            int status = switch (relay) {
                case RelayError.InvalidInput invalid -> {
                    if (invalid.field() != null) {
                        body.put("field", invalid.field());
                    }
                    yield 400;
                }
                case RelayError.Unauthorized ignored -> {
                    headers.put("WWW-Authenticate", "Bearer");
                    yield 401;
                }
                case RelayError.Forbidden ignored -> 403;
                case RelayError.NotFound ignored -> 404;
                case RelayError.MethodNotAllowed ignored -> 405;
                case RelayError.RequestTimeout ignored -> 408;
                case RelayError.Conflict conflict -> {
                    body.putAll(conflict.details());
                    yield 409;
                }
                case RelayError.PayloadTooLarge ignored -> 413;
                case RelayError.UnsupportedMediaType ignored -> 415;
                case RelayError.RateLimited limited -> {
                    retryAfter(body, headers, limited.retryAfterSeconds());
                    yield 429;
                }
                case RelayError.Unavailable unavailable -> {
                    retryAfter(body, headers, unavailable.retryAfterSeconds());
                    yield 503;
                }
            };
            return new Answer(status, body, headers);
        }
        if (error instanceof StoreException store && store.unavailable() != null) {
            // Locked, full, or unreachable: a condition that passes. Say so, and when to come back.
            LOG.warn("{}: the store is unavailable ({})", where, store.unavailable());
            body.put("error", "the store cannot take this request right now (" + store.unavailable()
                    + "); nothing was written, retry shortly");
            retryAfter(body, headers, STORE_RETRY_AFTER_SECONDS);
            return new Answer(503, body, headers);
        }
        if (error instanceof StoreException store && store.uniqueViolation()) {
            // A race the service's check could not see: another writer made the same record first.
            LOG.info("{}: a unique constraint refused the write ({})", where, store.getMessage());
            body.put("error", "conflict: another request created the same record at the same moment; "
                    + "nothing was written, read it and retry if still needed");
            return new Answer(409, body, headers);
        }
        LOG.error("{} failed", where, error);
        body.put("error", "internal error");
        return new Answer(500, body, headers);
    }

    /** The table for a WebSocket: which close code and reason {@code failure} ends the connection with. */
    static Close close(Throwable failure, String where) {
        Throwable error = unwrap(failure);
        return switch (error) {
            case RelayError.InvalidInput invalid -> new Close(StreamEnd.BAD_FRAME, invalid.getMessage());
            case RelayError.PayloadTooLarge tooLarge -> new Close(StreamEnd.TOO_LARGE, tooLarge.getMessage());
            case RelayError.RequestTimeout late -> new Close(StreamEnd.HELLO_TIMEOUT, late.getMessage());
            default -> {
                LOG.warn("{} failed; closing the WebSocket", where, error);
                yield new Close(StreamEnd.INTERNAL, StreamEnd.INTERNAL.reason());
            }
        };
    }

    /** Answers a routed request's failure (a handler's, a filter's, or Vert.x's own). */
    static void render(RoutingContext context, Throwable failure) {
        HttpServerRequest request = context.request();
        write(context.response(), answer(failure, request.method() + " " + request.path()), null);
    }

    /**
     * Answers a request refused before routing (the connection guard's deadlines and body budget)
     * and closes its connection once the answer is out.
     */
    static void refuse(HttpServerRequest request, RelayError failure) {
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            request.connection().close();
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close");
        write(response, answer(failure, request.method() + " " + request.path()), request.connection());
    }

    /** Writes the answer; then closes {@code closeAfter}, when given. */
    private static void write(HttpServerResponse response, Answer answer, HttpConnection closeAfter) {
        if (response.ended() || response.closed()) {
            return;
        }
        byte[] json;
        int status = answer.status();
        try {
            json = Json.mapper().writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.error("cannot render an error body", e);
            json = INTERNAL;
            status = 500;
        }
        answer.headers().forEach(response::putHeader);
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Buffer.buffer(json))
                .onComplete(done -> {
                    if (closeAfter != null) {
                        closeAfter.close();
                    }
                });
    }

    private static void retryAfter(Map<String, Object> body, Map<String, String> headers, long seconds) {
        body.put("retryAfter", seconds);
        headers.put("Retry-After", Long.toString(seconds));
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
