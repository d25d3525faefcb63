package io.agentrelay.server.store;

import java.sql.SQLException;

/**
 * How the writer opens, commits and abandons its transactions on one database: the part of the
 * group commit that differs between SQLite (one process, {@code BEGIN IMMEDIATE}) and PostgreSQL
 * (many nodes, a cluster-wide write lock and a {@code NOTIFY}). Called on the writer thread only.
 */
interface TransactionControl {

    /** Opens the group's transaction; on return this writer may write. */
    void begin() throws SQLException;

    /**
     * Commits durably. {@code lastEventId} is the highest event id the transaction appended, or 0
     * when it appended none (other nodes need not be told).
     */
    void commit(long lastEventId) throws SQLException;

    /** Abandons the open transaction, if any; never throws. */
    void rollbackQuietly();

    /**
     * After a failed group: makes the connection usable again (statements a failure left closed,
     * a connection that broke), so one failure never wedges the writer. Never throws.
     *
     * @return why the group failed when the cause was a lost connection (which the failure itself
     *     may not say: a pool's closed connection throws without a SQLSTATE), else null
     */
    String recover();
}
