package io.agentrelay.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One connection's SQL plumbing, shared by the per-feature statement classes ({@link AgentSql},
 * {@link MessageSql}, …): prepared statements, argument binding, and whether the current unit of
 * work has written (or failed a statement: on PostgreSQL that spoils the transaction). Not
 * thread-safe: one connection, one thread.
 */
final class Sql {
    final Statements statements;
    private boolean wrote;

    Sql(Statements statements) {
        this.statements = statements;
    }

    /** Reads one row into a value; columns are read by name. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    <T> List<T> query(String sql, List<?> args, RowMapper<T> mapper) {
        try {
            PreparedStatement statement = statements.prepare(sql);
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            wrote = true;
            statements.evict(sql);
            throw new StoreException("query failed: " + sql, e);
        }
    }

    /** A write; marks the unit as having written before it runs, so a failed write counts too. */
    int update(String sql, List<?> args) {
        wrote = true;
        try {
            PreparedStatement statement = statements.prepare(sql);
            bind(statement, args);
            return statement.executeUpdate();
        } catch (SQLException e) {
            statements.evict(sql);
            throw new StoreException("update failed: " + sql, e);
        }
    }

    /** A write that returns rows ({@code INSERT … RETURNING}, {@code … ON CONFLICT … RETURNING}). */
    <T> List<T> writeReturning(String sql, List<?> args, RowMapper<T> mapper) {
        wrote = true;
        return query(sql, args, mapper);
    }

    /** Runs an {@code INSERT … RETURNING id}: the new row's id. */
    long insertReturningId(String sql, List<?> args) {
        return insertOnce(sql, args).orElseThrow();
    }

    /** Runs an {@code INSERT … ON CONFLICT DO NOTHING RETURNING id}: the new row's id, or empty. */
    Optional<Long> insertOnce(String sql, List<?> args) {
        return writeReturning(sql, args, rs -> rs.getLong(1)).stream().findFirst();
    }

    /**
     * Whether a statement wrote, or any statement failed, since the last call; resets the flag. A
     * unit of work that fails before that left nothing to undo (see {@link GroupCommitWriter}).
     */
    boolean takeWrote() {
        boolean result = wrote;
        wrote = false;
        return result;
    }

    /**
     * The last id of the oldest rows of {@code table} older than {@code cutoff}, among its
     * {@code batch} lowest ids, stopping at the first row that is not old; 0 when the lowest is not
     * old. Ids grow with time, so retention needs no index on the time column.
     */
    long lastOfOldestPrefix(String table, String timeColumn, long cutoff, int batch) {
        List<long[]> oldest = query("SELECT id, " + timeColumn + " FROM " + table + " ORDER BY id LIMIT ?",
                List.of(batch), rs -> new long[] {rs.getLong(1), rs.getLong(2)});
        long last = 0;
        for (long[] row : oldest) {
            if (row[1] >= cutoff) {
                break;
            }
            last = row[0];
        }
        return last;
    }

    static void bind(PreparedStatement statement, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            statement.setObject(i + 1, args.get(i));
        }
    }

    static void appendPlaceholders(StringBuilder sql, List<Object> args, Collection<String> values) {
        boolean first = true;
        for (String value : values) {
            sql.append(first ? "?" : ", ?");
            args.add(value);
            first = false;
        }
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
