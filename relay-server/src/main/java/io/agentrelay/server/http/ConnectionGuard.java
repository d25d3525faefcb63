package io.agentrelay.server.http;

import io.agentrelay.server.config.EdgeLimits;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.system.Stats;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow or idle clients from holding connections and memory (issue 17: 5,000 half-open
 * requests were never timed out; 19,980 exhausted the file descriptors). Vert.x has an idle timeout,
 * but it would also cut live streams, which legitimately receive for hours while sending nothing;
 * so the deadlines here follow the phase of each connection instead:
 *
 * <ul>
 *   <li>a new connection waiting for its first request's line and headers: closed after
 *       {@code headerTimeout};</li>
 *   <li>a kept-alive connection idle after a response: closed after {@code keepAliveTimeout}, which
 *       is longer than clients keep idle connections, so a client never sends a request on a
 *       connection the relay has just closed (the JDK client does not retry a POST that meets
 *       one);</li>
 *   <li>receiving a body: answered 408 and closed when no byte came for {@code bodyTimeout}, and
 *       the body's declared size is held against the shared {@link BodyBudget} (503 when full);</li>
 *   <li>a request received and its response not ended (a handler at work, an SSE stream, a
 *       WebSocket): no deadline here; streams have their own heartbeats and slow-consumer cut.</li>
 * </ul>
 *
 * <p>One guard per event loop: its map and its sweep timer are touched only on that loop, so it
 * needs no locks. The sweep runs every quarter of the shorter timeout, so a deadline is enforced
 * within 1.25 times its length.
 */
final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Vertx vertx;
    private final EdgeLimits limits;
    private final int maxBodyBytes;
    private final ConnectionCounts counts;
    private final BodyBudget bodies;
    private final Stats stats;
    private final Map<HttpConnection, Watched> watched = new HashMap<>();
    private long sweepTimer = -1;

    /** What the guard knows of one connection. */
    private static final class Watched {
        final String address;
        long waitingSince;
        boolean answered;
        HttpServerRequest request;
        long bodyBytes;
        long bodyProgressAt;
        long reserved;
        boolean upgrade;

        Watched(String address, long now) {
            this.address = address;
            this.waitingSince = now;
        }
    }

    ConnectionGuard(Vertx vertx, EdgeLimits limits, int maxBodyBytes, ConnectionCounts counts, BodyBudget bodies,
                    Stats stats) {
        this.vertx = vertx;
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
        this.counts = counts;
        this.bodies = bodies;
        this.stats = stats;
    }

    /** The server's connection handler: admits the connection (or closes it) and starts its clock. */
    void onConnection(HttpConnection connection) {
        String address = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
        if (!counts.tryOpen(address)) {
            stats.countRefusedConnection();
            LOG.debug("connection from {} refused: over the connection cap", address);
            connection.close();
            return;
        }
        Watched state = new Watched(address, now());
        watched.put(connection, state);
        connection.closeHandler(v -> {
            watched.remove(connection);
            counts.closed(address);
            release(state);
        });
        if (sweepTimer < 0) {
            long shortest = Math.min(limits.headerTimeout().toMillis(),
                    Math.min(limits.keepAliveTimeout().toMillis(), limits.bodyTimeout().toMillis()));
            long period = Math.max(25, shortest / 4);
            sweepTimer = vertx.setPeriodic(period, id -> sweep());
        }
    }

    /** Wraps the server's request handler: the headers are in; a body, if any, is reserved and timed. */
    Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
        return request -> {
            Watched state = watched.get(request.connection());
            if (state != null && !admit(request, state)) {
                return;
            }
            next.handle(request);
        };
    }

    private boolean admit(HttpServerRequest request, Watched state) {
        release(state);
        state.request = request;
        state.upgrade = "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
        state.bodyBytes = 0;
        state.bodyProgressAt = now();
        long declared = declaredBody(request);
        if (declared > 0) {
            if (!bodies.tryReserve(declared)) {
                stats.countRefusedConnection();
                Errors.refuse(request, new RelayError.Unavailable("too many request bodies are being received; "
                        + "retry shortly (AGENT_RELAY_MAX_PENDING_BODY_BYTES)", 1));
                return false;
            }
            state.reserved = declared;
            // Given back as soon as the body is in (or the request failed), not at the next sweep.
            request.end().onComplete(done -> release(state));
        }
        return true;
    }

    /** The bytes a body may take: its Content-Length (at most MAX_BODY_BYTES), or MAX_BODY_BYTES if chunked. */
    private long declaredBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            Long parsed = Params.wholeNumber(length.trim());
            return parsed == null || parsed < 0 ? 0 : Math.min(parsed, maxBodyBytes);
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked") ? maxBodyBytes : 0;
    }

    private void release(Watched state) {
        if (state.reserved > 0) {
            bodies.release(state.reserved);
            state.reserved = 0;
        }
    }

    private void sweep() {
        long now = now();
        List<HttpConnection> expired = new ArrayList<>();
        List<HttpServerRequest> stalled = new ArrayList<>();
        for (Map.Entry<HttpConnection, Watched> entry : watched.entrySet()) {
            Watched state = entry.getValue();
            HttpServerRequest request = state.request;
            if (request == null) {
                long deadline = (state.answered ? limits.keepAliveTimeout() : limits.headerTimeout()).toMillis();
                if (now - state.waitingSince >= deadline) {
                    expired.add(entry.getKey());
                }
            } else if (!request.isEnded()) {
                long read = request.bytesRead();
                if (read != state.bodyBytes) {
                    state.bodyBytes = read;
                    state.bodyProgressAt = now;
                } else if (now - state.bodyProgressAt >= limits.bodyTimeout().toMillis()) {
                    stalled.add(request);
                }
            } else if (request.response().ended()
                    && !(state.upgrade && request.response().getStatusCode() == 101)) {
                // Answered (a refused upgrade too): from now on the connection waits for its next request.
                state.request = null;
                state.answered = true;
                state.waitingSince = now;
            }
        }
        for (HttpConnection connection : expired) {
            stats.countTimedOutConnection();
            LOG.debug("closing a connection from {}: no complete request within its deadline",
                    watched.get(connection).address);
            connection.close();
        }
        for (HttpServerRequest request : stalled) {
            stats.countTimedOutConnection();
            LOG.debug("closing a connection: its request body sent nothing for {} ms", limits.bodyTimeout().toMillis());
            Errors.refuse(request, new RelayError.RequestTimeout("request body stalled: no byte for "
                    + limits.bodyTimeout().toMillis() + " ms (AGENT_RELAY_BODY_TIMEOUT_MS)"));
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
