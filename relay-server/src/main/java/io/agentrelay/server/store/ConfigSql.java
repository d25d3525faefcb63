package io.agentrelay.server.store;

import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The versioned config store: current entries ({@code config_entries}, with a tombstone for each
 * deleted key) and every versioned write ({@code config_history}).
 *
 * <p>A write is one statement on the key's row that both decides and bumps the version (an upsert,
 * or an {@code UPDATE … WHERE version = ?} for compare-and-set), so concurrent writers of one key —
 * on any node — are ordered by that row and each gets the next version; the history row is then
 * inserted under its unique (namespace, key, version). Correctness does not rest on the store's
 * single writer or the cluster's write lock.
 */
final class ConfigSql {
    private static final String COLUMNS = "namespace, config_key, value, version, updated_by, created_at, updated_at";
    /**
     * A first write makes version 1; any later one, on a live key or a deleted one (its tombstone),
     * takes the row's version + 1. Re-creating a deleted key starts its {@code createdAt} again.
     */
    private static final String UPSERT = "INSERT INTO config_entries (namespace, config_key, value, version, deleted, "
            + "updated_by, created_at, updated_at) VALUES (?, ?, ?, 1, 0, ?, ?, ?) "
            + "ON CONFLICT (namespace, config_key) DO UPDATE SET value = excluded.value, "
            + "version = config_entries.version + 1, deleted = 0, updated_by = excluded.updated_by, "
            + "created_at = CASE WHEN config_entries.deleted = 1 THEN excluded.created_at ELSE config_entries.created_at END, "
            + "updated_at = excluded.updated_at";
    private static final String RETURNING = " RETURNING version, created_at";
    private static final String UPDATE_IF = "UPDATE config_entries SET value = ?, version = version + 1, updated_by = ?, "
            + "updated_at = ? WHERE namespace = ? AND config_key = ? AND deleted = 0 AND version = ?";
    private static final String DELETE = "UPDATE config_entries SET value = NULL, deleted = 1, version = version + 1, "
            + "updated_by = ?, updated_at = ? WHERE namespace = ? AND config_key = ? AND deleted = 0";

    private final Sql sql;

    ConfigSql(Sql sql) {
        this.sql = sql;
    }

    /** The version a write gave a key's row, and the row's creation time after it. */
    private record Stamp(long version, long createdAt) {
    }

    Optional<ConfigEntry> entry(String namespace, String key) {
        return sql.query("SELECT " + COLUMNS + " FROM config_entries WHERE namespace = ? AND config_key = ? "
                + "AND deleted = 0", List.of(namespace, key), ConfigSql::entryRow).stream().findFirst();
    }

    /** A namespace's live entries by key (code-point order on both stores: PostgreSQL's columns are COLLATE "C"). */
    List<ConfigEntry> entries(String namespace) {
        return sql.query("SELECT " + COLUMNS + " FROM config_entries WHERE namespace = ? AND deleted = 0 "
                + "ORDER BY config_key", List.of(namespace), ConfigSql::entryRow);
    }

    List<ConfigNamespace> namespaces() {
        return sql.query("SELECT namespace, COUNT(*) AS key_count, MAX(updated_at) AS last_write FROM config_entries "
                        + "WHERE deleted = 0 GROUP BY namespace ORDER BY namespace", List.of(),
                rs -> new ConfigNamespace(rs.getString("namespace"), rs.getLong("key_count"), rs.getLong("last_write")));
    }

    /** Newest first; {@code beforeVersion} 0 for the newest. */
    List<ConfigRevision> history(String namespace, String key, long beforeVersion, int limit) {
        StringBuilder text = new StringBuilder("SELECT namespace, config_key, version, value, deleted, updated_by, "
                + "updated_at FROM config_history WHERE namespace = ? AND config_key = ?");
        List<Object> args = new ArrayList<>(List.of(namespace, key));
        if (beforeVersion > 0) {
            text.append(" AND version < ?");
            args.add(beforeVersion);
        }
        text.append(" ORDER BY version DESC LIMIT ?");
        args.add(limit);
        return sql.query(text.toString(), args, rs -> new ConfigRevision(rs.getString("namespace"),
                rs.getString("config_key"), rs.getLong("version"), JsonColumns.tree(rs.getString("value")),
                rs.getInt("deleted") != 0, rs.getString("updated_by"), rs.getLong("updated_at")));
    }

    ConfigEntry put(ConfigWrite write) {
        String value = JsonColumns.write(write.value());
        Stamp stamp = sql.writeReturning(UPSERT + RETURNING, upsertArgs(write, value), ConfigSql::stamp).get(0);
        return recorded(write, value, stamp);
    }

    /** {@link #put} only while the key is at {@code expectedVersion}, where 0 means "has no entry" (never written, or deleted). */
    Optional<ConfigEntry> putIf(ConfigWrite write, long expectedVersion) {
        String value = JsonColumns.write(write.value());
        List<Stamp> stamps = expectedVersion == 0
                ? sql.writeReturning(UPSERT + " WHERE config_entries.deleted = 1" + RETURNING, upsertArgs(write, value),
                        ConfigSql::stamp)
                : sql.writeReturning(UPDATE_IF + RETURNING, Arrays.asList(value, write.updatedBy(), write.at(),
                        write.namespace(), write.key(), expectedVersion), ConfigSql::stamp);
        return stamps.stream().findFirst().map(stamp -> recorded(write, value, stamp));
    }

    /**
     * Turns a live entry into its tombstone at version + 1 and records the deletion; empty when the
     * key has no entry, or, with {@code expectedVersion}, when its entry is at another version.
     */
    OptionalLong delete(String namespace, String key, String updatedBy, long at, Long expectedVersion) {
        List<Object> args = new ArrayList<>(Arrays.asList(updatedBy, at, namespace, key));
        String text = DELETE;
        if (expectedVersion != null) {
            text += " AND version = ?";
            args.add(expectedVersion);
        }
        List<Long> versions = sql.writeReturning(text + " RETURNING version", args, rs -> rs.getLong("version"));
        if (versions.isEmpty()) {
            return OptionalLong.empty();
        }
        long version = versions.get(0);
        insertRevision(namespace, key, version, null, true, updatedBy, at);
        return OptionalLong.of(version);
    }

    private ConfigEntry recorded(ConfigWrite write, String value, Stamp stamp) {
        insertRevision(write.namespace(), write.key(), stamp.version(), value, false, write.updatedBy(), write.at());
        return new ConfigEntry(write.namespace(), write.key(), write.value(), stamp.version(), write.updatedBy(),
                stamp.createdAt(), write.at());
    }

    private void insertRevision(String namespace, String key, long version, String value, boolean deleted,
                                String updatedBy, long at) {
        sql.update("INSERT INTO config_history (namespace, config_key, version, value, deleted, updated_by, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", Arrays.asList(namespace, key, version, value, deleted ? 1 : 0, updatedBy, at));
    }

    private static List<Object> upsertArgs(ConfigWrite write, String value) {
        return Arrays.asList(write.namespace(), write.key(), value, write.updatedBy(), write.at(), write.at());
    }

    private static Stamp stamp(ResultSet rs) throws SQLException {
        return new Stamp(rs.getLong("version"), rs.getLong("created_at"));
    }

    private static ConfigEntry entryRow(ResultSet rs) throws SQLException {
        return new ConfigEntry(rs.getString("namespace"), rs.getString("config_key"),
                JsonColumns.tree(rs.getString("value")), rs.getLong("version"), rs.getString("updated_by"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
