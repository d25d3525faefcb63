package io.agentrelay.server.store;

import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code pairs} table. */
final class PairSql {
    static final String COLUMNS = "id, from_agent, to_agent, topic, body, meta, status, reason, closed_by, message_id, "
            + "created_at, updated_at, expires_at, accepted_at, closed_at";
    /** The partial unique index's predicate, repeated as the conflict target as both dialects require. */
    private static final String OPEN = "status IN ('pending', 'active')";

    private final Sql sql;

    PairSql(Sql sql) {
        this.sql = sql;
    }

    Optional<Pair> pair(long id) {
        return sql.query("SELECT " + COLUMNS + " FROM pairs WHERE id = ?", List.of(id), PairSql::row).stream().findFirst();
    }

    /** The open pair of two agents, whichever invited. */
    Optional<Pair> open(String a, String b) {
        return sql.query("SELECT " + COLUMNS + " FROM pairs WHERE member_low = ? AND member_high = ? AND " + OPEN,
                List.of(low(a, b), high(a, b)), PairSql::row).stream().findFirst();
    }

    List<Pair> pairs(PairQuery page) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM pairs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (page.agentId() != null) {
            // Two indexed lookups rather than one OR the planner may scan for.
            text.append(" AND id IN (SELECT id FROM pairs WHERE from_agent = ? UNION ALL SELECT id FROM pairs WHERE to_agent = ?)");
            args.add(page.agentId());
            args.add(page.agentId());
        }
        if (page.status() != null) {
            text.append(" AND status = ?");
            args.add(page.status().wire());
        }
        text.append(" ORDER BY id DESC LIMIT ?");
        args.add(page.limit());
        return sql.query(text.toString(), args, PairSql::row);
    }

    /** Pending pairs whose expiry is at or before {@code now}, oldest first. */
    List<Pair> expiredPending(long now) {
        return sql.query("SELECT " + COLUMNS + " FROM pairs WHERE status = ? AND expires_at <= ? ORDER BY id",
                List.of(PairStatus.PENDING.wire(), now), PairSql::row);
    }

    /** Inserts a pending pair unless its two agents have an open one (the unique index): empty then. */
    Optional<Pair> insertOnce(NewPair p) {
        return sql.insertOnce("INSERT INTO pairs (from_agent, to_agent, member_low, member_high, topic, body, meta, "
                                + "status, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                + "ON CONFLICT (member_low, member_high) WHERE " + OPEN + " DO NOTHING RETURNING id",
                        Arrays.asList(p.from(), p.to(), low(p.from(), p.to()), high(p.from(), p.to()), p.topic(), p.body(),
                                JsonColumns.write(p.meta()), PairStatus.PENDING.wire(), p.createdAt(), p.createdAt(),
                                p.expiresAt()))
                .map(id -> new Pair(id, p.from(), p.to(), p.topic(), p.body(), p.meta(), PairStatus.PENDING, null, null,
                        null, p.createdAt(), p.createdAt(), p.expiresAt(), null, null));
    }

    /** Stores the changeable fields only if the status is still {@code expected}: one conditional update. */
    boolean saveIf(Pair p, PairStatus expected) {
        return sql.update("UPDATE pairs SET status = ?, reason = ?, closed_by = ?, message_id = ?, updated_at = ?, "
                        + "accepted_at = ?, closed_at = ? WHERE id = ? AND status = ?",
                Arrays.asList(p.status().wire(), p.reason(), p.closedBy(), p.messageId(), p.updatedAt(), p.acceptedAt(),
                        p.closedAt(), p.id(), expected.wire())) > 0;
    }

    private static String low(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String high(String a, String b) {
        return a.compareTo(b) <= 0 ? b : a;
    }

    static Pair row(ResultSet rs) throws SQLException {
        return new Pair(
                rs.getLong("id"),
                rs.getString("from_agent"),
                rs.getString("to_agent"),
                rs.getString("topic"),
                rs.getString("body"),
                JsonColumns.object(rs.getString("meta")),
                Wire.find(PairStatus.class, rs.getString("status")),
                rs.getString("reason"),
                rs.getString("closed_by"),
                Sql.nullableLong(rs, "message_id"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                rs.getLong("expires_at"),
                Sql.nullableLong(rs, "accepted_at"),
                Sql.nullableLong(rs, "closed_at"));
    }
}
