package io.agentrelay.server.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that request bodies still being received may hold, all connections together
 * ({@code AGENT_RELAY_MAX_PENDING_BODY_BYTES}). Bodies are buffered whole before they are parsed, so
 * without a bound 1,000 stalled 2 MB uploads took the relay from 178 MB to 2.3 GB. A request
 * reserves its declared length (a chunked one: {@code MAX_BODY_BYTES}) when its headers arrive and
 * gives it back once the body is in or the connection is gone.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    boolean tryReserve(long bytes) {
        long now = reserved.addAndGet(bytes);
        if (now > limit) {
            reserved.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }
}
