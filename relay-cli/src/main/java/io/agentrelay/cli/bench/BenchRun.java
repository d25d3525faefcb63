package io.agentrelay.cli.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every scenario of one bench run shares: the load generator's Vert.x and its event loops, the
 * relay's nodes, the relay process when the bench started it, the step length, and the set of
 * agents registered (removed again from a relay the bench does not own).
 */
final class BenchRun {
    private final Vertx vertx;
    private final List<Context> loops;
    private final List<Endpoint> cluster;
    private final ChildRelay own;
    private final double step;
    private final boolean smoke;
    private final Path out;
    private final Path work;
    private final String databaseUrl;
    private final Set<String> registered;

    BenchRun(Vertx vertx, List<Context> loops, List<Endpoint> cluster, ChildRelay own, double step, boolean smoke,
             Path out, Path work, String databaseUrl, Set<String> registered) {
        this.vertx = vertx;
        this.loops = List.copyOf(loops);
        this.cluster = List.copyOf(cluster);
        this.own = own;
        this.step = step;
        this.smoke = smoke;
        this.out = out;
        this.work = work;
        this.databaseUrl = databaseUrl;
        this.registered = registered;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The load generator's event loops, one per core of this machine. */
    List<Context> loops() {
        return loops;
    }

    /** The relay's first (or only) node: where set-up and checks go. */
    Endpoint relay() {
        return cluster.get(0);
    }

    /** Every node of the relay: one unless {@code --nodes}. */
    List<Endpoint> cluster() {
        return cluster;
    }

    /** The relay process when the bench started it (its memory and JIT can be watched), else null. */
    ChildRelay own() {
        return own;
    }

    /** Seconds of each measured step. */
    double step() {
        return step;
    }

    boolean smoke() {
        return smoke;
    }

    /** The report's folder (a thread dump taken at a stall goes there too). */
    Path out() {
        return out;
    }

    /** The bench's temporary folder for stores; removed at the end. */
    Path work() {
        return work;
    }

    /** A load generator on every event loop, {@code connections} connections to every node at most. */
    Load load(int connections) {
        return new Load(vertx, loops, cluster, connections);
    }

    /** A load generator aimed at the first node only. */
    Load loadOnFirstNode(int connections) {
        return new Load(vertx, loops, List.of(relay()), connections);
    }

    /** Registers an agent on the relay (and remembers it, to remove it from a relay the bench does not own). */
    void register(String id, List<String> capabilities) throws Exception {
        RelayCalls.register(relay(), id, capabilities);
        registered.add(id);
    }

    /** Starts a relay of this build on {@code database} (or on the PostgreSQL database of the run). */
    ChildRelay startRelay(Path database) throws Exception {
        return startRelay(database, databaseUrl);
    }

    /** Starts a relay of this build on {@code database}, or on {@code databaseUrl} (PostgreSQL) when that is set. */
    static ChildRelay startRelay(Path database, String databaseUrl) throws Exception {
        // Every bench stream comes from loopback: its 10,000 idle streams and 2,000 fan-out streams
        // are above the default per-address cap (4,096), which is for clients, not load generators.
        return ChildRelay.start(Map.of(databaseUrl != null ? "AGENT_RELAY_DATABASE_URL" : "AGENT_RELAY_DB",
                databaseUrl != null ? databaseUrl : database.toString(), "PORT", "0",
                "AGENT_RELAY_STREAM_QUEUE_BYTES", "1048576", "AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "16384"),
                "serve");
    }

    static void progress(String text) {
        System.err.println(text);
        System.err.flush();
    }
}
