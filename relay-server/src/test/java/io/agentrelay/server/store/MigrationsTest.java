package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration shortcut: Flyway is skipped only when the store already has the newest migration. */
class MigrationsTest {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path dir;

    @Test
    void theLatestVersionFileNamesTheHighestBundledMigration() throws Exception {
        URL folder = SqliteStore.class.getResource("/db/sqlite");
        int highest;
        try (Stream<Path> scripts = Files.list(Paths.get(folder.toURI()))) {
            highest = scripts.map(p -> SCRIPT.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(SqliteStore.latestBundledVersion())
                .as("db/sqlite-latest-version must be bumped with every new migration").isEqualTo(highest);
    }

    @Test
    void aStoreMissingTheNewestMigrationIsMigratedOnOpen() throws Exception {
        Path file = dir.resolve("relay.db");
        SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { }).close();
        // Pretend the newest migration never ran: drop its history row (its tables stay, as in a
        // real database one version behind they would not exist, so remove one of them too).
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = sql.createStatement()) {
            statement.execute("DELETE FROM flyway_schema_history WHERE version = '" + SqliteStore.latestBundledVersion() + "'");
            for (String table : tablesCreatedByLatest(statement)) {
                statement.execute("DROP TABLE " + table);
            }
        }

        SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { }).close();

        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = sql.createStatement();
             ResultSet history = statement.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
            history.next();
            assertThat(history.getInt(1)).isEqualTo(SqliteStore.latestBundledVersion());
        }
    }

    private static List<String> tablesCreatedByLatest(Statement statement) throws Exception {
        String script;
        try (Stream<Path> scripts = Files.list(Paths.get(SqliteStore.class.getResource("/db/sqlite").toURI()))) {
            Path latest = scripts.filter(p -> p.getFileName().toString().startsWith("V" + SqliteStore.latestBundledVersion() + "__"))
                    .findFirst().orElseThrow();
            script = Files.readString(latest);
        }
        Matcher tables = Pattern.compile("CREATE TABLE (\\w+)").matcher(script);
        List<String> names = new java.util.ArrayList<>();
        while (tables.find()) {
            names.add(tables.group(1));
        }
        // Dependent tables first.
        java.util.Collections.reverse(names);
        return names;
    }
}
