package io.agentrelay.server.config;

import java.time.Duration;

/**
 * What the HTTP edge allows one client and all of them together, so that no client — with a token
 * or without — can hold the relay's sockets or memory: see "Limits" in docs/configuration.md.
 *
 * @param headerTimeout            a new connection's first request line and headers must be complete
 *                                 this long after it opened; else it is closed
 * @param keepAliveTimeout         a connection idle after a response is closed after this long: longer
 *                                 than clients keep idle connections (JDK 30 s, Vert.x 60 s, Go 90 s),
 *                                 so that they close first and never send on one the relay closed
 * @param bodyTimeout              a request body that sends no byte for this long is cut
 * @param maxConnections           open connections in all; beyond it a new one is closed at once
 * @param maxConnectionsPerAddress open connections from one source address
 * @param maxPendingBodyBytes      request bodies being received, all together; beyond it 503
 * @param maxJsonDepth             nesting of a JSON value in a request body (an object in an object:
 *                                 depth 2)
 */
public record EdgeLimits(Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout, int maxConnections,
                         int maxConnectionsPerAddress, long maxPendingBodyBytes, int maxJsonDepth) {
}
