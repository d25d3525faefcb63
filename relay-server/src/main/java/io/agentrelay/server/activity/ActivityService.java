package io.agentrelay.server.activity;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The activity feed: a view over the event log, newest first, each event shown as an
 * {@link ActivityItem}. Nothing writes to it by hand; every change a service makes is already an
 * event. Clients add their own items as {@code activity.reported} events, de-duplicated by their
 * {@code clientId}; so does the reaper, for a run that changed something.
 */
public final class ActivityService {
    private final Store store;
    private final Clock clock;

    public ActivityService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The result of a report: the feed item that records it, and false when its client id was seen before. */
    public record Reported(Map<String, Object> activity, boolean created) {
    }

    /** Feed items of the events with id below {@code before} (0 = the newest), newest first. */
    public CompletableFuture<List<Map<String, Object>>> page(long before, int limit) {
        return store.read(reads -> reads.eventsBefore(before, limit)).thenApply(events ->
                events.stream().map(ActivityItem::of).toList());
    }

    public CompletableFuture<Reported> report(ReportActivity command) {
        return store.write(tx -> {
            long now = clock.millis();
            // Insert-once on the client id: of racing reports (on any node) exactly one makes the item.
            if (!tx.reserveActivityReport(command.clientId(), now)) {
                Optional<Event> earlier = tx.reportedActivity(command.clientId());
                if (earlier.isPresent()) {
                    return new Reported(ActivityItem.of(earlier.get()), false);
                }
            }
            Event event = append(tx, command, now);
            tx.recordActivityReport(command.clientId(), event.id(), now);
            return new Reported(ActivityItem.of(event), true);
        });
    }

    /**
     * Appends an item written by the relay itself (the reaper's run summary), in the caller's
     * transaction. Its client id follows the TypeScript server's {@code server-<what>-<time>}; it is
     * not recorded for de-duplication, which is for clients that retry.
     */
    public static Event audit(Tx tx, String what, String title, String body, String icon, Map<String, Object> metadata,
                              long now) {
        return append(tx, new ReportActivity("server-" + what + "-" + now, null, "state", title, body, null, icon,
                "activity", null, metadata, "system." + what, null, null), now);
    }

    private static Event append(Tx tx, ReportActivity report, long now) {
        ReportActivity command = report.normalized();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("clientId", command.clientId());
        data.put("agentId", command.agentId());
        data.put("kind", command.kind());
        data.put("title", command.title());
        data.put("body", command.body());
        data.put("meta", command.meta());
        data.put("icon", command.icon());
        data.put("view", command.view());
        data.put("messageId", command.messageId());
        data.put("metadata", command.metadata());
        data.put("type", command.type());
        data.put("summary", command.summary());
        data.put("data", command.data());
        return tx.append(EventType.ACTIVITY_REPORTED, Event.Origin.of(command.agentId(), command.clientId()),
                Event.Scope.agent(command.agentId()), data, now);
    }
}
