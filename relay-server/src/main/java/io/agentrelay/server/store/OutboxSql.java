package io.agentrelay.server.store;

import io.agentrelay.api.Task;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The callback outbox ({@code callback_deliveries}, {@code callback_attempts}). */
final class OutboxSql {
    static final String COLUMNS = "id, integration, task_id, event_id, task, status, attempts, "
            + "next_attempt_at, last_status_code, last_error, created_at, updated_at, delivered_at";

    private final Sql sql;

    OutboxSql(Sql sql) {
        this.sql = sql;
    }

    List<Delivery> deliveries(String integration, long before, int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM callback_deliveries WHERE integration = ? AND id < ? "
                        + "ORDER BY id DESC LIMIT ?",
                List.of(integration, before > 0 ? before : Long.MAX_VALUE, limit), OutboxSql::row);
    }

    List<DeliveryAttempt> attempts(long deliveryId) {
        return sql.query("SELECT delivery_id, attempt, at, status_code, error FROM callback_attempts "
                        + "WHERE delivery_id = ? ORDER BY attempt", List.of(deliveryId),
                rs -> new DeliveryAttempt(rs.getLong("delivery_id"), rs.getInt("attempt"), rs.getLong("at"),
                        Sql.nullableInt(rs, "status_code"), rs.getString("error")));
    }

    List<Delivery> due(long now, int limit) {
        // A task's callbacks go out one at a time, in order: one waits while an earlier one of the
        // same task is still pending, so a receiver never hears "done" before "in_progress".
        return sql.query("SELECT " + COLUMNS + " FROM callback_deliveries d WHERE status = ? "
                        + "AND next_attempt_at <= ? AND lease_until <= ? AND NOT EXISTS (SELECT 1 FROM callback_deliveries e "
                        + "WHERE e.task_id = d.task_id AND e.status = ? AND e.id < d.id) "
                        + "ORDER BY next_attempt_at, id LIMIT ?",
                List.of(Delivery.State.PENDING.wire(), now, now, Delivery.State.PENDING.wire(), limit),
                OutboxSql::row);
    }

    List<Delivery> leaseDue(long now, int limit, long until) {
        List<Delivery> leased = new ArrayList<>();
        for (Delivery delivery : due(now, limit)) {
            if (sql.update("UPDATE callback_deliveries SET lease_until = ? WHERE id = ? AND status = ? AND lease_until <= ?",
                    List.of(until, delivery.id(), Delivery.State.PENDING.wire(), now)) > 0) {
                leased.add(delivery);
            }
        }
        return leased;
    }

    Delivery insert(String integration, Task task, long eventId, long at) {
        String json = JsonColumns.write(task);
        long id = sql.insertReturningId("INSERT INTO callback_deliveries (integration, task_id, event_id, task, status, "
                        + "attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id",
                Arrays.asList(integration, task.id(), eventId, json, Delivery.State.PENDING.wire(), at, at, at));
        return new Delivery(id, integration, task.id(), eventId, json, Delivery.State.PENDING, 0, at, null, null, at,
                at, null, null);
    }

    void recordAttempt(DeliveryAttempt a, Delivery.State state, long nextAttemptAt) {
        sql.update("INSERT INTO callback_attempts (delivery_id, attempt, at, status_code, error) VALUES (?, ?, ?, ?, ?)",
                Arrays.asList(a.deliveryId(), a.attempt(), a.at(), a.statusCode(), a.error()));
        sql.update("UPDATE callback_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, "
                        + "last_error = ?, updated_at = ?, delivered_at = ?, lease_until = 0 WHERE id = ?",
                Arrays.asList(state.wire(), a.attempt(), nextAttemptAt, a.statusCode(), a.error(), a.at(),
                        state == Delivery.State.DELIVERED ? a.at() : null, a.deliveryId()));
    }

    static Delivery row(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getString("integration"), rs.getLong("task_id"), rs.getLong("event_id"),
                rs.getString("task"), Wire.find(Delivery.State.class, rs.getString("status")), rs.getInt("attempts"),
                rs.getLong("next_attempt_at"), Sql.nullableInt(rs, "last_status_code"), rs.getString("last_error"),
                rs.getLong("created_at"), rs.getLong("updated_at"), Sql.nullableLong(rs, "delivered_at"), null);
    }
}
