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
        return CompletableFuture.completedFuture(Reply.ok(Map.of("ok", true, "status", "ok",
                "version", Stats.VERSION, "instanceId", stats.instanceId(), "node", stats.node(),
                "store", stats.storeKind(), "uptimeMs", stats.uptimeMs())));
    }

    private CompletionStage<Reply> stats(Request request) {
        // The edge's streams, not the bus's listeners: the callback dispatcher listens there too.
        return stats.snapshot(streams.size()).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> reap(Request request) {
        return reaper.reap().thenApply(Reply::ok);
    }
}
