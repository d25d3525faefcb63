package io.agentrelay.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one long-lived connection, kept by SQL text. Bounded: the least recently
 * used statement is closed once more than {@link #CAPACITY} distinct texts were prepared (inbox
 * queries vary with the number of an agent's tags). Not thread-safe: one connection, one thread.
 */
final class Statements implements AutoCloseable {
    private static final int CAPACITY = 128;

    private Connection connection;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CAPACITY) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    Statements(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = cache.get(sql);
        if (statement != null && statement.isClosed()) {
            // A failure can close a statement under us (SQLite does on SQLITE_FULL): never reuse it.
            cache.remove(sql);
            statement = null;
        }
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            cache.put(sql, statement);
        } else {
            statement.clearParameters();
        }
        return statement;
    }

    /** Drops the statement of {@code sql} after it failed: it may be unusable, and is prepared anew next time. */
    void evict(String sql) {
        PreparedStatement statement = cache.remove(sql);
        if (statement != null) {
            closeQuietly(statement);
        }
    }

    /**
     * Closes every cached statement and goes on with {@code replacement} (or the same connection
     * when null): after a failed transaction a cached statement may be unusable for good (SQLite
     * closes the transaction-control statements a disk-full error interrupted).
     */
    void reset(Connection replacement) {
        cache.values().forEach(Statements::closeQuietly);
        cache.clear();
        if (replacement != null && replacement != connection) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the old connection is broken; its replacement is what matters
            }
            connection = replacement;
        }
    }

    @Override
    public void close() {
        cache.values().forEach(Statements::closeQuietly);
        cache.clear();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing on shutdown: nothing left to do with a failure
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // a statement that fails to close holds nothing we can reclaim
        }
    }
}
