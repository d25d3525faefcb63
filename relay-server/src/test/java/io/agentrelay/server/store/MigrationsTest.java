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
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The migration shortcut: Flyway is skipped only when the store already has the newest migration. */
class MigrationsTest {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theLatestVersionFileNamesTheHighestBundledMigration(String dialect) throws Exception {
        List<Integer> versions = bundledVersions(dialect);
        assertThat(Migrations.latestBundledVersion(dialect))
                .as("db/%s-latest-version must be bumped with every new migration", dialect)
                .isEqualTo(versions.get(versions.size() - 1));
    }

    @Test
    void aStoreOneVersionBehindIsMigratedOnOpen() throws Exception {
        Path file = dir.resolve("relay.db");
        int latest = Migrations.latestBundledVersion("sqlite");
        // A store as the previous release left it: every migration but the newest. (The bundled
        // versions need not be contiguous: a number may be taken by a feature still on its branch.)
        List<Integer> versions = bundledVersions("sqlite");
        int previous = versions.get(versions.size() - 2);
        storeAtVersion(file, previous);
        assertThat(appliedVersion(file)).isEqualTo(previous);

        SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { }).close();

        assertThat(appliedVersion(file)).isEqualTo(latest);
    }

    @Test
    void eventsLoggedBeforeTheEnvelopeHadASourceReadBackAsTheServers() throws Exception {
        Path file = dir.resolve("relay.db");
        storeAtVersion(file, 5, "INSERT INTO events (type, ts, target, agent_id, channel, data) "
                + "VALUES ('message.new', 1, 'alice', 'bob', NULL, '{\"id\":1}')");

        try (SqliteStore store = SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { })) {
            var events = store.read(reads -> reads.events(EventQuery.after(0, 10))).join();

            assertThat(events).singleElement().satisfies(event -> {
                assertThat(event.source()).isEqualTo("server");
                assertThat(event.subject()).isNull();
                assertThat(event.json()).contains("\"source\":\"server\"");
            });
        }
    }

    @Test
    void agentsRegisteredBeforeTheTagIndexAreFoundByTagAfterTheMigration() throws Exception {
        Path file = dir.resolve("relay.db");
        storeAtVersion(file, 6, "INSERT INTO agents (id, name, kind, tags, capabilities, status, created_at, "
                + "updated_at, last_seen_at) VALUES ('old', 'Old', 'provider', '[\"ops\",\"db\"]', "
                + "'[\"java\"]', 'online', 1, 1, 1)");

        try (SqliteStore store = SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { })) {
            var byTag = store.read(reads -> reads.agents(new AgentQuery(null, null, "db", "java"))).join();

            assertThat(byTag).extracting(io.agentrelay.api.AgentCard::id).containsExactly("old");
        }
    }

    /** The versions of the {@code V<n>__} scripts of a dialect's folder, in order. */
    private static List<Integer> bundledVersions(String dialect) throws Exception {
        URL folder = SqliteStore.class.getResource("/db/" + dialect);
        try (Stream<Path> scripts = Files.list(Paths.get(folder.toURI()))) {
            return scripts.map(p -> SCRIPT.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        }
    }

    /** A store migrated up to {@code version} only, as an older release left it, with rows of that time. */
    private static void storeAtVersion(Path file, int version, String... rows) throws Exception {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(source).locations("classpath:db/sqlite").target(String.valueOf(version))
                .load().migrate();
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = sql.createStatement()) {
            for (String row : rows) {
                statement.executeUpdate(row);
            }
        }
    }

    private static int appliedVersion(Path file) throws Exception {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = sql.createStatement();
             ResultSet history = statement.executeQuery(
                     "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
            history.next();
            return history.getInt(1);
        }
    }
}
