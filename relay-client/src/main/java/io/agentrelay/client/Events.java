package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.RelayEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay's event log: pages of it ({@code GET /api/events}) and live, resuming subscriptions
 * ({@code GET /api/events/stream}). Get it from {@link RelayClient#events()}.
 */
public final class Events {
    private final Transport transport;
    private final RelayClient client;

    Events(Transport transport, RelayClient client) {
        this.transport = transport;
        this.client = client;
    }

    /** Up to {@code limit} (1..1000) events with ids above {@code after}, oldest first. */
    public EventPage page(EventFilter filter, long after, int limit) {
        Map<String, Object> query = new LinkedHashMap<>(filter.query());
        query.put("after", after);
        query.put("limit", limit);
        JsonNode body = transport.get(Transport.query("/api/events", query)).body();
        List<RelayEvent> events = new ArrayList<>();
        for (JsonNode event : body.path("events")) {
            events.add(transport.read(event, RelayEvent.class));
        }
        return new EventPage(events, body.path("lastEventId").asLong());
    }

    /** The id of the relay's newest event (0 when the log is empty). */
    public long newestEventId() {
        return page(EventFilter.ALL, Long.MAX_VALUE, 1).lastEventId();
    }

    /**
     * Opens a live stream and returns at once; events arrive on {@code listener}. With
     * {@link StreamOptions#resumeAfter()} unset the stream starts at the relay's newest event as
     * of this call, so nothing written after it returns is missed. The stream reconnects by itself
     * until closed; {@link RelayClient#close()} closes it too.
     *
     * @throws RelayException when the relay refuses the starting-point lookup (a wrong token, say);
     *     an unreachable relay does not throw, the stream keeps trying
     */
    public LiveStream subscribe(EventFilter filter, StreamOptions options, EventListener listener) {
        return client.track(LiveStream.start(this, transport, filter, options, listener));
    }

    /** {@link #subscribe(EventFilter, StreamOptions, EventListener)} with {@link StreamOptions#DEFAULTS}. */
    public LiveStream subscribe(EventFilter filter, EventListener listener) {
        return subscribe(filter, StreamOptions.DEFAULTS, listener);
    }
}
