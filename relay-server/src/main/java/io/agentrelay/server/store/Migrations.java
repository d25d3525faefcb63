package io.agentrelay.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a store's schema up to date with Flyway, from the scripts of its dialect
 * ({@code db/sqlite}, {@code db/postgresql}), unless Flyway's own history already records the newest
 * bundled script as applied: then nothing would change, and skipping Flyway saves about half a
 * second of every start. {@code db/<dialect>-latest-version} names that script; a test keeps it
 * equal to the highest {@code V<n>__} script of the folder.
 */
final class Migrations {
    private Migrations() {
    }

    static void migrate(DataSource source, String dialect) throws SQLException {
        if (schemaIsCurrent(source, dialect)) {
            return;
        }
        Flyway.configure().dataSource(source).locations("classpath:db/" + dialect).load().migrate();
    }

    static int latestBundledVersion(String dialect) {
        String name = "/db/" + dialect + "-latest-version";
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            return Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    private static boolean schemaIsCurrent(DataSource source, String dialect) throws SQLException {
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet history = statement.executeQuery("SELECT "
                    + "MAX(CASE WHEN success THEN CAST(version AS INTEGER) END), "
                    + "SUM(CASE WHEN success THEN 0 ELSE 1 END) FROM flyway_schema_history")) {
                return history.next() && history.getInt(2) == 0
                        && history.getInt(1) == latestBundledVersion(dialect);
            } catch (SQLException noHistoryYet) {
                return false;
            }
        }
    }
}
