package io.agentrelay.server.testing;

import io.agentrelay.server.store.SqliteStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        return postgresql() ? new TestStore(null, TestPostgres.newDatabase()) : new TestStore(sqliteFile(dir, "relay.db"), null);
    }

    /**
     * A new SQLite file {@code dir/name} whose schema is already current: a copy of a template that a
     * real {@link SqliteStore} migrated once for this JVM. Copying takes a millisecond; migrating a
     * new file takes about half a second of every relay start, and the suites start hundreds.
     */
    public static Path sqliteFile(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            // The relay creates a missing folder for its file; so does this copy.
            Files.createDirectories(dir);
            Files.copy(SqliteTemplate.FILE, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the SQLite template to " + file, e);
        }
        return file;
    }

    /** The template, built on first use: a store opened and closed (closing checkpoints the WAL into the file). */
    private static final class SqliteTemplate {
        static final Path FILE = build();

        private static Path build() {
            try {
                Path dir = Files.createTempDirectory("relay-sqlite-template");
                Path file = dir.resolve("template.db");
                SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { }).close();
                if (Files.exists(dir.resolve("template.db-wal"))) {
                    throw new IllegalStateException("the SQLite template kept a WAL after its store closed");
                }
                file.toFile().deleteOnExit();
                dir.resolve("template.db.lock").toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot build the SQLite template", e);
            }
        }
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
