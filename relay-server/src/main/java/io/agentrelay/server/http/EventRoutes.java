package io.agentrelay.server.http;

import io.vertx.core.http.HttpMethod;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.events.EventService;
import io.agentrelay.server.events.OpenStream;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.Store;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** {@code GET /api/events} (a JSON page of the log) and {@code GET /api/events/stream} (SSE). */
final class EventRoutes implements Routes {
    private final EventService events;
    private final Store store;
    private final RelayConfig config;
    private final LiveStreams streams;

    EventRoutes(EventService events, Store store, RelayConfig config, LiveStreams streams) {
        this.events = events;
        this.store = store;
        this.config = config;
        this.streams = streams;
    }

    @Override
    public void register(Api api) {
        api.raw(HttpMethod.GET, "/api/events/stream").handler(this::stream);
        api.get("/api/events", this::page);
    }

    private CompletionStage<Reply> page(Request request) {
        long after = Params.integer("after", request.query("after"), 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.integer("limit", request.query("limit"), 100, 1, EventService.MAX_PAGE);
        Set<EventType> types = types(request.query("types"));
        String agentId = agentId(request);
        return events.page(after, limit, types, agentId).thenApply(Reply::ok);
    }

    /** Not an {@link Api} handler: its answer is a stream, not one JSON reply. Errors before it starts are. */
    private void stream(RoutingContext context) {
        Request request = new Request(context, config.edge().maxJsonDepth());
        OpenStream command;
        try {
            command = OpenStream.sse(resumePoint(request), types(request.query("types")), agentId(request));
        } catch (RuntimeException e) {
            Errors.render(context, e);
            return;
        }
        Future.fromCompletionStage(events.open(command), context.vertx().getOrCreateContext())
                .onFailure(error -> Errors.render(context, error))
                .onSuccess(opening -> SseStream.open(context.vertx(), context.response(), streams,
                        new LiveStreams.Opened("sse", remote(context), described(command)), store, opening.after(),
                        opening.filter(), config.streamQueueBytes(), config.sseHeartbeat()));
    }

    /** {@code Last-Event-ID} (a reconnecting EventSource), else {@code ?after=}, else null: from now on. */
    private static Long resumePoint(Request request) {
        String lastEventId = request.header("Last-Event-ID");
        if (lastEventId != null && !lastEventId.isBlank()) {
            return Params.integer("Last-Event-ID", lastEventId.trim(), 0, 0, Long.MAX_VALUE);
        }
        String after = request.query("after");
        return after == null || after.isEmpty() ? null : Params.integer("after", after, 0, 0, Long.MAX_VALUE);
    }

    private static String agentId(Request request) {
        String agentId = request.query("agentId");
        return agentId == null || agentId.isEmpty() ? null : Require.agentId("agentId", agentId);
    }

    static String remote(RoutingContext context) {
        return context.request().remoteAddress() == null ? null : context.request().remoteAddress().toString();
    }

    /** The filter as {@code GET /api/streams} shows it. */
    private static Map<String, Object> described(OpenStream command) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("agentId", command.agents().isEmpty() ? null : command.agents().get(0));
        filter.put("types", command.types().stream().map(EventType::wire).toList());
        return filter;
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
