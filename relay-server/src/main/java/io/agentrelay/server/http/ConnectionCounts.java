package io.agentrelay.server.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections, in all and per source address, shared by every event loop of the edge. A
 * connection beyond either cap is closed as soon as it is accepted, before it costs more than its
 * socket: 19,980 half-open connections once exhausted the relay's file descriptors, and then even
 * {@code /api/health} stopped answering.
 */
final class ConnectionCounts {
    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();

    ConnectionCounts(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts a new connection from {@code address}; false (and nothing counted) when over a cap. */
    boolean tryOpen(String address) {
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {false};
        byAddress.compute(address, (key, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < maxPerAddress) {
                current.incrementAndGet();
                admitted[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    /** Forgets a connection that {@link #tryOpen} admitted. */
    void closed(String address) {
        byAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() == 0 ? null : count);
        total.decrementAndGet();
    }

    int open() {
        return total.get();
    }
}
