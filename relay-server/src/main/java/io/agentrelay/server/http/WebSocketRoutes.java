package io.agentrelay.server.http;

import io.vertx.core.http.HttpMethod;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.EventService;
import io.agentrelay.server.store.Store;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /ws}: the WebSocket hub (agentlip protocol); see {@link WsStream}. */
final class WebSocketRoutes implements Routes {
    /** Largest frame (and message) a client may send; larger ones are closed with 1009. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    private final Store store;
    private final EventService events;
    private final LiveStreams streams;
    private final RelayConfig config;
    private final String instanceId;

    WebSocketRoutes(Store store, EventService events, LiveStreams streams, RelayConfig config, String instanceId) {
        this.store = store;
        this.events = events;
        this.streams = streams;
        this.config = config;
        this.instanceId = instanceId;
    }

    @Override
    public void register(Api api) {
        api.raw(HttpMethod.GET, "/ws").handler(this::upgrade);
    }

    private void upgrade(RoutingContext context) {
        String upgrade = context.request().getHeader(HttpHeaders.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            context.fail(new RelayError.InvalidInput(null, "GET /ws needs a WebSocket upgrade (Upgrade: websocket)"));
            return;
        }
        context.request().toWebSocket()
                .onSuccess(socket -> WsStream.accept(context.vertx(), socket, EventRoutes.remote(context), store, events, streams,
                        instanceId,
                        config.streamQueueBytes(), config.sseHeartbeat()))
                .onFailure(error -> context.fail(
                        new RelayError.InvalidInput(null, "WebSocket handshake failed: " + error.getMessage())));
    }
}
