package io.agentrelay.server.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * The database of one test relay: a SQLite file, or a fresh PostgreSQL database when the tests run
 * with {@code -Drelay.test.store=postgresql} (the build runs the HTTP suites once per store). A
 * relay restarted on the same {@code TestStore} sees the same data.
 *
 * @param file the SQLite file, or null on PostgreSQL
 * @param url  the PostgreSQL JDBC URL (with credentials), or null on SQLite
 */
public record TestStore(Path file, String url) {
    public static final String PROPERTY = "relay.test.store";

    /** A new, empty store for a test whose scratch folder is {@code dir}, of the kind the build asked for. */
    public static TestStore fresh(Path dir) {
        return postgresql() ? new TestStore(null, TestPostgres.newDatabase()) : new TestStore(dir.resolve("relay.db"), null);
    }

    /** Whether this run's relays use PostgreSQL. */
    public static boolean postgresql() {
        return "postgresql".equals(System.getProperty(PROPERTY));
    }

    /** The relay's settings that point it at this store. */
    public Map<String, String> settings() {
        return file != null ? Map.of("AGENT_RELAY_DB", file.toString()) : Map.of("AGENT_RELAY_DATABASE_URL", url);
    }

    /** A plain JDBC connection to the store, for tests that reach under the relay. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(file != null ? "jdbc:sqlite:" + file.toAbsolutePath() : url);
    }
}
