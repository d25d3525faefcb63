package io.agentrelay.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/streams}: the SSE and WebSocket streams open on this relay right now, and the
 * recent ones it cut as slow consumers. Streams open and close without events in the log, so the
 * dashboard asks here.
 */
final class StreamRoutes implements Routes {
    private final LiveStreams streams;

    StreamRoutes(LiveStreams streams) {
        this.streams = streams;
    }

    @Override
    public void register(Api api) {
        api.get("/api/streams", this::list);
    }

    private CompletionStage<Reply> list(Request request) {
        return streams.list().thenApply(open -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("streams", open);
            body.put("cuts", streams.cuts());
            return Reply.ok(body);
        });
    }
}
