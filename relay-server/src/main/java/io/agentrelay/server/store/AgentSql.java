package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code agents} table. */
final class AgentSql {
    static final String COLUMNS = "id, name, kind, label, tags, capabilities, status, ready, machine, "
            + "instance_id, epoch, meta, created_at, updated_at, last_seen_at";
    private static final String VALUES = "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Sql sql;

    AgentSql(Sql sql) {
        this.sql = sql;
    }

    Optional<AgentCard> agent(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM agents WHERE id = ?", List.of(id), AgentSql::row)
                .stream().findFirst();
    }

    List<AgentCard> agents(AgentQuery filter) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM agents WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.status() != null) {
            text.append(" AND status = ?");
            args.add(filter.status().wire());
        }
        if (filter.kind() != null) {
            text.append(" AND kind = ?");
            args.add(filter.kind().wire());
        }
        // Tags and capabilities are JSON arrays; agent_tags indexes them (kept by triggers).
        if (filter.tag() != null) {
            text.append(" AND id IN (SELECT agent_id FROM agent_tags WHERE kind = 'tag' AND value = ?)");
            args.add(filter.tag());
        }
        if (filter.capability() != null) {
            text.append(" AND id IN (SELECT agent_id FROM agent_tags WHERE kind = 'cap' AND value = ?)");
            args.add(filter.capability());
        }
        if (filter.after() != null) {
            text.append(" AND id > ?");
            args.add(filter.after());
        }
        text.append(" ORDER BY id");
        if (filter.limit() > 0) {
            text.append(" LIMIT ?");
            args.add(filter.limit());
        }
        return sql.query(text.toString(), args, AgentSql::row);
    }

    List<AgentCard> silentSince(long cutoff) {
        return sql.query("SELECT " + COLUMNS + " FROM agents WHERE last_seen_at < ? ORDER BY id", List.of(cutoff),
                AgentSql::row);
    }

    void save(AgentCard agent) {
        sql.update("INSERT INTO agents (" + COLUMNS + ") " + VALUES + " "
                        + "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                        + "label = excluded.label, tags = excluded.tags, capabilities = excluded.capabilities, "
                        + "status = excluded.status, ready = excluded.ready, machine = excluded.machine, "
                        + "instance_id = excluded.instance_id, epoch = excluded.epoch, meta = excluded.meta, "
                        + "updated_at = excluded.updated_at, last_seen_at = excluded.last_seen_at",
                values(agent));
    }

    boolean touch(String id, AgentStatus status, long updatedAt, long lastSeenAt) {
        return sql.update("UPDATE agents SET status = ?, updated_at = ?, last_seen_at = ? WHERE id = ?",
                List.of(status.wire(), updatedAt, lastSeenAt, id)) > 0;
    }

    boolean saveIf(AgentCard agent, Long expectedEpoch) {
        if (expectedEpoch == null) {
            return sql.update("INSERT INTO agents (" + COLUMNS + ") " + VALUES + " ON CONFLICT (id) DO NOTHING",
                    values(agent)) > 0;
        }
        return sql.update("UPDATE agents SET name = ?, kind = ?, label = ?, tags = ?, capabilities = ?, status = ?, "
                        + "ready = ?, machine = ?, instance_id = ?, epoch = ?, meta = ?, updated_at = ?, last_seen_at = ? "
                        + "WHERE id = ? AND epoch = ?",
                Arrays.asList(agent.name(), agent.kind().wire(), agent.label(), JsonColumns.write(agent.tags()),
                        JsonColumns.write(agent.capabilities()), agent.status().wire(), agent.ready() ? 1 : 0,
                        agent.machine(), agent.instanceId(), agent.epoch(), JsonColumns.write(agent.meta()),
                        agent.updatedAt(), agent.lastSeenAt(), agent.id(), expectedEpoch)) > 0;
    }

    /** Deletes the agent and its read marks; false if there was none. */
    boolean delete(String id) {
        sql.update("DELETE FROM message_reads WHERE agent_id = ?", List.of(id));
        return sql.update("DELETE FROM agents WHERE id = ?", List.of(id)) > 0;
    }

    private static List<Object> values(AgentCard agent) {
        return Arrays.asList(agent.id(), agent.name(), agent.kind().wire(), agent.label(),
                JsonColumns.write(agent.tags()), JsonColumns.write(agent.capabilities()),
                agent.status().wire(), agent.ready() ? 1 : 0, agent.machine(), agent.instanceId(),
                agent.epoch(), JsonColumns.write(agent.meta()), agent.createdAt(), agent.updatedAt(),
                agent.lastSeenAt());
    }

    static AgentCard row(ResultSet rs) throws SQLException {
        return new AgentCard(
                rs.getString("id"),
                rs.getString("name"),
                Wire.find(AgentKind.class, rs.getString("kind")),
                rs.getString("label"),
                JsonColumns.strings(rs.getString("tags")),
                JsonColumns.strings(rs.getString("capabilities")),
                Wire.find(AgentStatus.class, rs.getString("status")),
                rs.getInt("ready") != 0,
                rs.getString("machine"),
                rs.getString("instance_id"),
                rs.getLong("epoch"),
                JsonColumns.object(rs.getString("meta")),
                rs.getLong("created_at"),
                rs.getLong("updated_at"),
                rs.getLong("last_seen_at"));
    }
}
