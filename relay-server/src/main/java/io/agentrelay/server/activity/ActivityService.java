package io.agentrelay.server.activity;

import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import io.agentrelay.server.store.Store;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The activity feed: a view over the event log, newest first. Nothing writes to it by hand; every
 * change a service makes is already an event. Clients add their own items as
 * {@code activity.reported} events, de-duplicated by their {@code clientId}.
 */
public final class ActivityService {
    private final Store store;
    private final Clock clock;

    public ActivityService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The result of a report: the event that records it, and false when its client id was seen before. */
    public record Reported(Event activity, boolean created) {
    }

    /** Events with id below {@code before} (0 = the newest), newest first. */
    public CompletableFuture<List<Event>> page(long before, int limit) {
        return store.read(reads -> reads.eventsBefore(before, limit));
    }

    public CompletableFuture<Reported> report(ReportActivity command) {
        return store.write(tx -> {
            long now = clock.millis();
            // Insert-once on the client id: of racing reports (on any node) exactly one makes the item.
            if (!tx.reserveActivityReport(command.clientId(), now)) {
                Optional<Event> earlier = tx.reportedActivity(command.clientId());
                if (earlier.isPresent()) {
                    return new Reported(earlier.get(), false);
                }
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("clientId", command.clientId());
            data.put("agentId", command.agentId());
            data.put("type", command.type());
            data.put("summary", command.summary());
            data.put("data", command.data());
            Event event = tx.append(EventType.ACTIVITY_REPORTED, Event.Scope.agent(command.agentId()), data, now);
            tx.recordActivityReport(command.clientId(), event.id(), now);
            return new Reported(event, true);
        });
    }
}
