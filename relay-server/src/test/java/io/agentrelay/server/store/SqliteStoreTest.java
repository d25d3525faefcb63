package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.api.Message;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file, plus what only the SQLite store promises. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store open(EventSink sink) {
        return SqliteStore.open(SqliteStore.Settings.defaults(file()), sink);
    }

    private Path file() {
        return dir.resolve("relay.db");
    }

    @Test
    void theFileIsInWalModeAndTheWriterFsyncsEveryCommit() throws SQLException {
        // journal_mode=WAL is a property of the file, visible to any connection.
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + file().toAbsolutePath())) {
            assertThat(pragma(plain, "journal_mode")).isEqualTo("wal");
        }
        // synchronous is per connection, so ask the writer's own connection, from inside a write.
        String synchronous = inTransaction(tx -> pragma(((JdbcTx) tx).statements.connection(), "synchronous"));
        assertThat(synchronous).as("synchronous=FULL is 2").isEqualTo("2");
    }

    @Test
    void readsRunOnConnectionsThatCannotWrite() {
        writes().saveAgent(ALICE);

        String refusal = reading(reads -> {
            try (Statement statement = ((JdbcReads) reads).statements.connection().createStatement()) {
                statement.executeUpdate("DELETE FROM agents");
                return null;
            } catch (SQLException e) {
                return e.getMessage();
            }
        });

        assertThat(refusal).isNotNull().containsIgnoringCase("readonly");
        assertThat(reads().agent("alice")).contains(ALICE);
    }

    @Test
    void writesQueuedWhileAGroupCommitsAllCommitTogetherInTheNextGroup() {
        List<CompletableFuture<Message>> writes = submitBehindHeldWriter(store, 200);

        for (CompletableFuture<Message> write : writes) {
            assertThat(write).succeedsWithin(WAIT);
        }
        assertThat(reads().counts().messages()).isEqualTo(200);
        assertThat(sink.batches()).as("one group, so one hand-over to the sink").singleElement()
                .satisfies(batch -> assertThat(batch).hasSize(200));
        assertStrictlyIncreasing(sink.events().stream().map(Event::id).toList());
    }

    @Test
    void aGroupNeverHoldsMoreThanMaxBatchWrites() {
        RecordingSink smallSink = new RecordingSink();
        SqliteStore.Settings settings = new SqliteStore.Settings(dir.resolve("small-batches.db"), 2, 50, Duration.ZERO);
        try (Store small = SqliteStore.open(settings, smallSink)) {
            List<CompletableFuture<Message>> writes = submitBehindHeldWriter(small, 200);

            for (CompletableFuture<Message> write : writes) {
                assertThat(write).succeedsWithin(WAIT);
            }
            assertThat(smallSink.batches()).extracting(List::size).containsExactly(50, 50, 50, 50);
            assertStrictlyIncreasing(smallSink.events().stream().map(Event::id).toList());
        }
    }

    /**
     * Holds the writer, submits {@code count} writes (each a message and its event) from several
     * threads, then lets the writer go; returns their futures.
     */
    private static List<CompletableFuture<Message>> submitBehindHeldWriter(Store target, int count) {
        List<CompletableFuture<Message>> writes = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hold = holdWriter(target, release);
        try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                submitters.execute(() -> writes.add(target.write(tx -> {
                    Message message = tx.insertMessage(draft("w" + n, "alice").build());
                    tx.append(EventType.MESSAGE_NEW, new Event.Scope("alice", "w" + n, null),
                            Map.of("id", message.id()), 1);
                    return message;
                })));
            }
        } finally {
            release.countDown();
        }
        assertThat(hold).succeedsWithin(WAIT);
        assertThat(writes).hasSize(count);
        return writes;
    }

    private static String pragma(Connection connection, String name) {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("PRAGMA " + name + " failed", e);
        }
    }
}
