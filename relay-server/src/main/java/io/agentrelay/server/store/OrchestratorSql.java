package io.agentrelay.server.store;

import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code orchestrators} table. */
final class OrchestratorSql {
    static final String COLUMNS = "id, hostname, base_dir, providers, env_keys, meta, api_url, agent_id, agents, "
            + "status, last_seen_at, created_at, updated_at";

    private final Sql sql;

    OrchestratorSql(Sql sql) {
        this.sql = sql;
    }

    Optional<Orchestrator> orchestrator(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM orchestrators WHERE id = ?", List.of(id), OrchestratorSql::row)
                .stream().findFirst();
    }

    Optional<Orchestrator> byAgent(String agentId) {
        return sql.query("SELECT " + COLUMNS + " FROM orchestrators WHERE agent_id = ?", List.of(agentId),
                OrchestratorSql::row).stream().findFirst();
    }

    List<Orchestrator> orchestrators() {
        return sql.query("SELECT " + COLUMNS + " FROM orchestrators ORDER BY id", List.of(), OrchestratorSql::row);
    }

    List<Orchestrator> onlineSilentSince(long cutoff) {
        return sql.query("SELECT " + COLUMNS + " FROM orchestrators WHERE last_seen_at < ? AND status = ? ORDER BY id",
                List.of(cutoff, OrchestratorStatus.ONLINE.wire()), OrchestratorSql::row);
    }

    void save(Orchestrator o) {
        sql.update("INSERT INTO orchestrators (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname, base_dir = excluded.base_dir, "
                        + "providers = excluded.providers, env_keys = excluded.env_keys, meta = excluded.meta, "
                        + "api_url = excluded.api_url, agent_id = excluded.agent_id, agents = excluded.agents, "
                        + "status = excluded.status, last_seen_at = excluded.last_seen_at, "
                        + "updated_at = excluded.updated_at",
                Arrays.asList(o.id(), o.hostname(), o.baseDir(), JsonColumns.write(o.providers()),
                        JsonColumns.write(o.envKeys()), JsonColumns.write(o.meta()), o.apiUrl(), o.agentId(),
                        JsonColumns.write(o.agents()), o.status().wire(), o.lastSeenAt(), o.createdAt(), o.updatedAt()));
    }

    boolean touch(String id, OrchestratorStatus status, long updatedAt, long lastSeenAt) {
        return sql.update("UPDATE orchestrators SET status = ?, updated_at = ?, last_seen_at = ? WHERE id = ?",
                List.of(status.wire(), updatedAt, lastSeenAt, id)) > 0;
    }

    boolean saveAgents(String id, List<ManagedAgent> agents, long updatedAt) {
        return sql.update("UPDATE orchestrators SET agents = ?, updated_at = ? WHERE id = ?",
                List.of(JsonColumns.write(agents), updatedAt, id)) > 0;
    }

    boolean delete(String id) {
        return sql.update("DELETE FROM orchestrators WHERE id = ?", List.of(id)) > 0;
    }

    static Orchestrator row(ResultSet rs) throws SQLException {
        return new Orchestrator(
                rs.getString("id"),
                rs.getString("hostname"),
                rs.getString("base_dir"),
                JsonColumns.list(rs.getString("providers"), Provider.class),
                JsonColumns.strings(rs.getString("env_keys")),
                JsonColumns.object(rs.getString("meta")),
                rs.getString("api_url"),
                rs.getString("agent_id"),
                JsonColumns.list(rs.getString("agents"), ManagedAgent.class),
                Wire.find(OrchestratorStatus.class, rs.getString("status")),
                rs.getLong("last_seen_at"),
                rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }
}
