package io.agentrelay.server.system;

import io.agentrelay.server.events.LogHead;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/** What {@code /api/health} and {@code /api/stats} report about this relay process. */
public final class Stats {
    public static final String VERSION = version();

    private final Store store;
    private final LogHead head;
    private final Clock clock;
    private final long startedAt;
    private final String instanceId;
    private final String node = nodeName();
    private final LongAdder abortedRequests = new LongAdder();
    private final LongAdder timedOutConnections = new LongAdder();
    private final LongAdder refusedConnections = new LongAdder();

    public Stats(Store store, LogHead head, Clock clock, String instanceId) {
        this.instanceId = instanceId;
        this.store = store;
        this.head = head;
        this.clock = clock;
        this.startedAt = clock.millis();
    }

    /** Identifies this relay process; a client seeing it change knows the relay restarted. */
    public String instanceId() {
        return instanceId;
    }

    /** Which process answered, for people: the host's name and the process id. */
    public String node() {
        return node;
    }

    /** Why the store cannot write at the moment, or null: see {@link Store#writeProblem()}. */
    public String storeProblem() {
        return store.writeProblem();
    }

    /** Which kind of store this node runs on: {@code sqlite} or {@code postgresql}. */
    public String storeKind() {
        return store.kind();
    }

    /** Now, on the relay's clock (tests control it). */
    public long now() {
        return clock.millis();
    }

    public long uptimeMs() {
        return clock.millis() - startedAt;
    }

    /** A client went away before its request was complete (a disconnect mid-body). */
    public void countAbortedRequest() {
        abortedRequests.increment();
    }

    /** A connection closed by the edge for a missed deadline: headers, body, or idle between requests. */
    public void countTimedOutConnection() {
        timedOutConnections.increment();
    }

    /** A connection or body refused for a cap: connections in all or per address, pending body bytes. */
    public void countRefusedConnection() {
        refusedConnections.increment();
    }

    /** Requests whose client went away before sending all of it, since the relay started. */
    public long abortedRequests() {
        return abortedRequests.sum();
    }

    /** Connections the edge closed for a missed deadline, since the relay started. */
    public long timedOutConnections() {
        return timedOutConnections.sum();
    }

    /** Connections and bodies refused for a cap, since the relay started. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /**
     * {@code now} is the relay's clock, so a client (the dashboard) can show times relative to it.
     *
     * @param abortedRequests     requests whose client disconnected before sending all of it
     * @param timedOutConnections connections the edge closed for a missed header or body deadline
     * @param refusedConnections  connections and bodies refused for a cap
     */
    public record Snapshot(String version, String instanceId, String node, String store, long uptimeMs, long agents,
                           long agentsOnline, long messages, long claimedMessages, long events, long lastEventId,
                           int streams, long now, long abortedRequests, long timedOutConnections,
                           long refusedConnections) {
    }

    /** The counts, with {@code liveStreams} open SSE and WebSocket streams (the edge knows those). */
    public CompletableFuture<Snapshot> snapshot(int liveStreams) {
        return store.read(Reads::counts).thenApply(c -> new Snapshot(VERSION, instanceId, node, store.kind(), uptimeMs(), c.agents(),
                c.agentsOnline(), c.messages(), c.claimedMessages(), c.events(), head.position(), liveStreams,
                clock.millis(), abortedRequests(), timedOutConnections(), refusedConnections()));
    }

    private static String nodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    private static String version() {
        String v = Stats.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
