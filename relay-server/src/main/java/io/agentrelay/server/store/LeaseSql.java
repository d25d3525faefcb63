package io.agentrelay.server.store;

import java.util.List;

/** Named leases ({@code leases}): work that one node of a cluster does at a time. */
final class LeaseSql {
    private final Sql sql;

    LeaseSql(Sql sql) {
        this.sql = sql;
    }

    boolean acquire(String name, String holder, long now, long until) {
        return sql.update("INSERT INTO leases (name, holder, until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE "
                        + "SET holder = excluded.holder, until = excluded.until "
                        + "WHERE leases.holder = excluded.holder OR leases.until <= ?",
                List.of(name, holder, until, now)) > 0;
    }
}
