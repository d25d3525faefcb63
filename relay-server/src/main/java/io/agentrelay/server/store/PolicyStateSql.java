package io.agentrelay.server.store;

import io.agentrelay.api.PolicyState;
import io.agentrelay.api.PolicyStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code policy_states} table: one row per spawn policy that was ever acted on. Every write is
 * a compare-and-set on the row's {@code version} (an insert that does nothing when the row exists,
 * for the first), so of several writers that read the same state — on any node — exactly one wins.
 */
final class PolicyStateSql {
    private static final String COLUMNS = "policy_name, status, agent_id, orchestrator_id, provider, tmux_session, "
            + "spawn_request_id, last_spawn_at, last_stop_at, restart_count, consecutive_failures, healthy_since, "
            + "last_error, updated_at, version";

    private final Sql sql;

    PolicyStateSql(Sql sql) {
        this.sql = sql;
    }

    Optional<PolicyState> state(String policyName) {
        return sql.query("SELECT " + COLUMNS + " FROM policy_states WHERE policy_name = ?", List.of(policyName),
                PolicyStateSql::row).stream().findFirst();
    }

    List<PolicyState> states() {
        return sql.query("SELECT " + COLUMNS + " FROM policy_states ORDER BY policy_name", List.of(), PolicyStateSql::row);
    }

    /** Writes {@code state} if the stored row is still at {@code state.version() - 1} (no row for 1). */
    boolean saveIf(PolicyState state) {
        long expected = state.version() - 1;
        if (expected < 0) {
            throw new IllegalArgumentException("a saved policy state has a version of 1 or more");
        }
        if (expected == 0) {
            List<Object> args = values(state);
            return sql.update("INSERT INTO policy_states (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?) ON CONFLICT (policy_name) DO NOTHING", args) > 0;
        }
        List<Object> args = new ArrayList<>(values(state).subList(1, 15));
        args.add(state.policyName());
        args.add(expected);
        return sql.update("UPDATE policy_states SET status = ?, agent_id = ?, orchestrator_id = ?, provider = ?, "
                + "tmux_session = ?, spawn_request_id = ?, last_spawn_at = ?, last_stop_at = ?, restart_count = ?, "
                + "consecutive_failures = ?, healthy_since = ?, last_error = ?, updated_at = ?, version = ? "
                + "WHERE policy_name = ? AND version = ?", args) > 0;
    }

    private static List<Object> values(PolicyState s) {
        return Arrays.asList(s.policyName(), s.status().wire(), s.agentId(), s.orchestratorId(),
                s.provider() == null ? null : s.provider().wire(), s.tmuxSession(), s.spawnRequestId(), s.lastSpawnAt(),
                s.lastStopAt(), s.restartCount(), s.consecutiveFailures(), s.healthySince(), s.lastError(), s.updatedAt(),
                s.version());
    }

    private static PolicyState row(ResultSet rs) throws SQLException {
        String provider = rs.getString("provider");
        return new PolicyState(
                rs.getString("policy_name"),
                Wire.find(PolicyStatus.class, rs.getString("status")),
                rs.getString("agent_id"),
                rs.getString("orchestrator_id"),
                provider == null ? null : Wire.find(Provider.class, provider),
                rs.getString("tmux_session"),
                rs.getString("spawn_request_id"),
                Sql.nullableLong(rs, "last_spawn_at"),
                Sql.nullableLong(rs, "last_stop_at"),
                rs.getInt("restart_count"),
                rs.getInt("consecutive_failures"),
                Sql.nullableLong(rs, "healthy_since"),
                rs.getString("last_error"),
                rs.getLong("updated_at"),
                rs.getLong("version"));
    }
}
