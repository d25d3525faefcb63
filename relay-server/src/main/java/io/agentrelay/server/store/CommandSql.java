package io.agentrelay.server.store;

import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code commands} table. */
final class CommandSql {
    static final String COLUMNS = "id, type, source, target, correlation_id, params, status, progress, result, error, "
            + "claimed_by, created_at, updated_at, expires_at";

    private final Sql sql;

    CommandSql(Sql sql) {
        this.sql = sql;
    }

    Optional<Command> command(long id) {
        return sql.query("SELECT " + COLUMNS + " FROM commands WHERE id = ?", List.of(id), CommandSql::row)
                .stream().findFirst();
    }

    /**
     * Deletes at most {@code batch} finished commands (succeeded, failed, canceled, expired) last
     * changed before {@code cutoff}, oldest id first; a command still in flight stays, however old.
     */
    long pruneFinishedBefore(long cutoff, int batch) {
        return sql.update("DELETE FROM commands WHERE id IN (SELECT id FROM commands WHERE status IN "
                + "('succeeded', 'failed', 'canceled', 'expired') AND updated_at < ? ORDER BY id LIMIT ?)",
                List.of(cutoff, batch));
    }

    List<Command> commands(CommandQuery page) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM commands WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (page.target() != null) {
            text.append(" AND target = ?");
            args.add(page.target());
        }
        if (page.status() != null) {
            text.append(" AND status = ?");
            args.add(page.status().wire());
        }
        text.append(" ORDER BY id DESC LIMIT ?");
        args.add(page.limit());
        return sql.query(text.toString(), args, CommandSql::row);
    }

    /** Pending commands whose expiry is at or before {@code now}, oldest first. */
    List<Command> expiredPending(long now) {
        return sql.query("SELECT " + COLUMNS + " FROM commands WHERE status = ? AND expires_at <= ? ORDER BY id",
                List.of(CommandStatus.PENDING.wire(), now), CommandSql::row);
    }

    Command insert(NewCommand c) {
        long id = sql.insertReturningId("INSERT INTO commands (type, source, target, correlation_id, params, status, "
                        + "created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Arrays.asList(c.type().wire(), c.source(), c.target(), c.correlationId(), JsonColumns.write(c.params()),
                        CommandStatus.PENDING.wire(), c.createdAt(), c.createdAt(), c.expiresAt()));
        return new Command(id, c.type(), c.source(), c.target(), c.correlationId(), c.params(), CommandStatus.PENDING,
                null, null, null, c.createdAt(), c.createdAt(), c.expiresAt(), null);
    }

    /** Stores the changeable fields only if the status is still {@code expected}: one conditional update. */
    boolean saveIf(Command c, CommandStatus expected) {
        return sql.update("UPDATE commands SET status = ?, progress = ?, result = ?, error = ?, claimed_by = ?, "
                        + "updated_at = ? WHERE id = ? AND status = ?",
                Arrays.asList(c.status().wire(), c.progress(), c.result() == null ? null : JsonColumns.write(c.result()),
                        c.error(), c.claimedBy(), c.updatedAt(), c.id(), expected.wire())) > 0;
    }

    static Command row(ResultSet rs) throws SQLException {
        return new Command(
                rs.getLong("id"),
                Wire.find(CommandType.class, rs.getString("type")),
                rs.getString("source"),
                rs.getString("target"),
                rs.getString("correlation_id"),
                JsonColumns.object(rs.getString("params")),
                Wire.find(CommandStatus.class, rs.getString("status")),
                rs.getString("progress"),
                JsonColumns.nullableObject(rs.getString("result")),
                rs.getString("error"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                rs.getLong("expires_at"),
                rs.getString("claimed_by"));
    }
}
