package io.agentrelay.server.http;

import io.agentrelay.server.system.Reaper;
import io.agentrelay.server.system.Stats;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code /api/health}, {@code /api/stats}, {@code /api/system/reap}. */
final class SystemRoutes implements Routes {
    private final Stats stats;
    private final Reaper reaper;
    private final LiveStreams streams;

    SystemRoutes(Stats stats, Reaper reaper, LiveStreams streams) {
        this.stats = stats;
        this.reaper = reaper;
        this.streams = streams;
    }

    @Override
    public void register(Api api) {
        api.get("/api/health", this::health)
                .get("/api/stats", this::stats)
                .post("/api/system/reap", this::reap);
    }

    private CompletionStage<Reply> health(Request request) {
        // Still 200 while the store cannot write: the process is alive, and a load balancer taking
        // every node out because their shared database is full would help nobody. "degraded" and
        // the cause say it instead.
        String problem = stats.storeProblem();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("ok", problem == null);
        body.put("status", problem == null ? "ok" : "degraded");
        body.put("version", Stats.VERSION);
        body.put("instanceId", stats.instanceId());
        body.put("node", stats.node());
        body.put("store", stats.storeKind());
        if (problem != null) {
            body.put("storeProblem", problem);
        }
        body.put("uptimeMs", stats.uptimeMs());
        return CompletableFuture.completedFuture(Reply.ok(body));
    }

    private CompletionStage<Reply> stats(Request request) {
        // The edge's streams, not the bus's listeners: the callback dispatcher listens there too.
        return stats.snapshot(streams.size()).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> reap(Request request) {
        return reaper.reap().thenApply(Reply::ok);
    }
}
