package io.agentrelay.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Connector;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code connectors} table. Every write is one upsert on the id, so concurrent writers of one
 * connector — on any node — leave one row; each write changes only its own columns (a registration
 * the description, a config write the config, an action its outcome).
 */
final class ConnectorSql {
    private static final String COLUMNS = "id, name, description, version, channel_type, registered, config, state, "
            + "last_action, last_action_ok, last_action_exit_code, last_action_at, last_action_duration_ms, "
            + "created_at, updated_at";

    private final Sql sql;

    ConnectorSql(Sql sql) {
        this.sql = sql;
    }

    Optional<ConnectorRow> connector(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM connectors WHERE id = ?", List.of(id), ConnectorSql::row)
                .stream().findFirst();
    }

    List<ConnectorRow> connectors() {
        return sql.query("SELECT " + COLUMNS + " FROM connectors ORDER BY id", List.of(), ConnectorSql::row);
    }

    /**
     * Registers (or re-registers) a description; {@code config} and {@code state}, when not null,
     * replace the stored ones, and are kept when null. The row as it is after the write.
     */
    ConnectorRow register(ConnectorRegistration r) {
        String config = r.config() == null ? null : JsonColumns.write(r.config());
        String state = r.state() == null ? null : JsonColumns.write(r.state());
        sql.update("INSERT INTO connectors (id, name, description, version, channel_type, registered, config, state, "
                + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                + "name = excluded.name, description = excluded.description, version = excluded.version, "
                + "channel_type = excluded.channel_type, registered = 1, "
                + "config = COALESCE(excluded.config, connectors.config), "
                + "state = COALESCE(excluded.state, connectors.state), updated_at = excluded.updated_at",
                Arrays.asList(r.id(), r.name(), r.description(), r.version(), r.channelType(), config, state,
                        r.at(), r.at()));
        return connector(r.id()).orElseThrow();
    }

    /** Replaces the config; makes the row (named {@code name}, not registered) when there is none. */
    ConnectorRow putConfig(String id, String name, JsonNode config, long at) {
        sql.update("INSERT INTO connectors (id, name, registered, config, created_at, updated_at) "
                + "VALUES (?, ?, 0, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET config = excluded.config, "
                + "updated_at = excluded.updated_at", Arrays.asList(id, name, JsonColumns.write(config), at, at));
        return connector(id).orElseThrow();
    }

    /** Records an action's outcome; makes the row (named {@code name}, not registered) when there is none. */
    ConnectorRow recordAction(String id, String name, Connector.LastAction action) {
        sql.update("INSERT INTO connectors (id, name, registered, last_action, last_action_ok, last_action_exit_code, "
                + "last_action_at, last_action_duration_ms, created_at, updated_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET last_action = excluded.last_action, "
                + "last_action_ok = excluded.last_action_ok, last_action_exit_code = excluded.last_action_exit_code, "
                + "last_action_at = excluded.last_action_at, last_action_duration_ms = excluded.last_action_duration_ms, "
                + "updated_at = excluded.updated_at",
                Arrays.asList(id, name, action.action(), action.ok() ? 1 : 0, action.exitCode(), action.at(),
                        action.durationMs(), action.at(), action.at()));
        return connector(id).orElseThrow();
    }

    private static ConnectorRow row(ResultSet rs) throws SQLException {
        String action = rs.getString("last_action");
        Connector.LastAction last = action == null ? null : new Connector.LastAction(action,
                rs.getInt("last_action_ok") != 0, Sql.nullableInt(rs, "last_action_exit_code"),
                rs.getLong("last_action_at"), rs.getLong("last_action_duration_ms"));
        String config = rs.getString("config");
        String state = rs.getString("state");
        return new ConnectorRow(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                rs.getString("version"), rs.getString("channel_type"), rs.getInt("registered") != 0,
                config == null ? null : JsonColumns.tree(config), state == null ? null : JsonColumns.tree(state),
                last, rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
