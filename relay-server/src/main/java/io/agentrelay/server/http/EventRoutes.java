package io.agentrelay.server.http;

import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.Store;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code GET /api/events} (a JSON page of the log) and {@code GET /api/events/stream} (SSE). */
final class EventRoutes implements Routes {
    static final int MAX_PAGE = 1000;

    private final Store store;
    private final RelayConfig config;
    private final LiveStreams streams;

    private final MessageService messages;

    EventRoutes(Store store, RelayConfig config, LiveStreams streams, MessageService messages) {
        this.store = store;
        this.messages = messages;
        this.config = config;
        this.streams = streams;
    }

    @Override
    public void register(Api api) {
        api.router().get("/api/events/stream").handler(this::stream);
        api.get("/api/events", this::page);
    }

    private CompletionStage<Reply> page(Request request) {
        long after = Params.integer("after", request.query("after"), 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.integer("limit", request.query("limit"), 100, 1, MAX_PAGE);
        Set<EventType> types = types(request.query("types"));
        String agentId = request.query("agentId");
        return audience(agentId).thenCompose(audience -> store.read(reads ->
                reads.events(new EventQuery(after, Long.MAX_VALUE, limit, types, audience)))).thenApply(events -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("events", events);
                    body.put("lastEventId", streams.head().position());
                    return Reply.ok(body);
                });
    }

    private void stream(RoutingContext context) {
        Request request = new Request(context, config.edge().maxJsonDepth());
        long after;
        Set<EventType> types;
        CompletableFuture<Audience> audienceLookup;
        String agentId = request.query("agentId");
        try {
            String lastEventId = request.header("Last-Event-ID");
            after = lastEventId != null && !lastEventId.isBlank()
                    ? Params.integer("Last-Event-ID", lastEventId.trim(), 0, 0, Long.MAX_VALUE)
                    : request.query("after") == null || request.query("after").isEmpty() ? -1
                    : Params.integer("after", request.query("after"), 0, 0, Long.MAX_VALUE);
            types = types(request.query("types"));
            audienceLookup = audience(agentId);
        } catch (RelayError e) {
            Errors.render(context, e);
            return;
        }
        // Without a resume point a new stream starts at the live tail, not at the beginning of history.
        long start = after >= 0 ? after : streams.head().position();
        Future.fromCompletionStage(audienceLookup, context.vertx().getOrCreateContext())
                .onFailure(error -> Errors.render(context, error))
                .onSuccess(audience -> {
                    if (audience != null) {
                        // Opening one's own stream is a sign of life; the stream does not wait for it.
                        messages.seen(agentId);
                    }
                    SseStream.open(context.vertx(), context.response(), streams,
                            new LiveStreams.Opened("sse", remote(context), filter(agentId, types)), store, start,
                            StreamFilter.of(types, audience), config.streamQueueBytes(), config.sseHeartbeat());
                });
    }

    static String remote(RoutingContext context) {
        return context.request().remoteAddress() == null ? null : context.request().remoteAddress().toString();
    }

    private static Map<String, Object> filter(String agentId, Set<EventType> types) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("agentId", agentId == null || agentId.isEmpty() ? null : agentId);
        filter.put("types", types.stream().map(EventType::wire).toList());
        return filter;
    }

    private CompletableFuture<Audience> audience(String agentId) {
        if (agentId == null || agentId.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Require.agentId("agentId", agentId);
        return store.read(reads -> MessageService.audience(reads, agentId));
    }

    private static Set<EventType> types(String raw) {
        Set<EventType> types = new LinkedHashSet<>();
        if (raw == null || raw.isBlank()) {
            return types;
        }
        for (String name : raw.split(",", -1)) {
            if (!name.isBlank()) {
                types.add(Params.choice("types", name.trim(), EventType.class));
            }
        }
        return types;
    }
}
