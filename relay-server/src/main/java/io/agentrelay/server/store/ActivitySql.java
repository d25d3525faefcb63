package io.agentrelay.server.store;

import io.agentrelay.server.model.Event;
import java.util.List;
import java.util.Optional;

/** Client-reported activity: which client ids were seen ({@code activity_reports}). */
final class ActivitySql {
    private final Sql sql;

    ActivitySql(Sql sql) {
        this.sql = sql;
    }

    Optional<Event> reported(String clientId) {
        return sql.query("SELECT e.id, e.type, e.ts, e.source, e.subject, e.target, e.agent_id, e.channel, e.data "
                        + "FROM activity_reports a JOIN events e ON e.id = a.event_id WHERE a.client_id = ?",
                        List.of(clientId), EventSql::row)
                .stream().findFirst();
    }

    boolean reserve(String clientId, long at) {
        // A pruned item's id may be used again: the update applies only when its event is gone.
        return !sql.writeReturning("INSERT INTO activity_reports (client_id, event_id, created_at) VALUES (?, 0, ?) "
                        + "ON CONFLICT (client_id) DO UPDATE SET event_id = 0, created_at = excluded.created_at "
                        + "WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = activity_reports.event_id) "
                        + "RETURNING client_id",
                List.of(clientId, at), rs -> rs.getString(1)).isEmpty();
    }

    void record(String clientId, long eventId, long at) {
        sql.update("INSERT INTO activity_reports (client_id, event_id, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (client_id) DO UPDATE SET event_id = excluded.event_id, created_at = excluded.created_at",
                List.of(clientId, eventId, at));
    }
}
