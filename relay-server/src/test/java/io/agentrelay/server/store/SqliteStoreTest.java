package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.api.Message;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file, plus what only the SQLite store promises. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    protected Store open(EventSink sink) {
        if (!java.nio.file.Files.exists(file())) {
            // A new store starts from the migrated template, as the relays of the HTTP suites do.
            io.agentrelay.server.testing.TestStore.sqliteFile(dir, "relay.db");
        }
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
    void leasesTakenBeforeTheStoreWasOpenedAgainAreFree() {
        long now = System.currentTimeMillis();
        boolean taken = inTransaction(tx -> tx.acquireLease("reaper", "ended-process", now, now + 60_000));
        boolean takenAgain = inTransaction(tx -> tx.acquireLease("reaper", "this-process", now, now + 60_000));
        assertThat(taken).isTrue();
        assertThat(takenAgain).as("held by the other process").isFalse();

        // One relay per file: whoever held the lease before this opening has ended.
        reopen();

        boolean free = inTransaction(tx -> tx.acquireLease("reaper", "this-process", now, now + 60_000));
        assertThat(free).isTrue();
    }

    @Test
    void aSecondStoreOnTheSameFileIsRefusedNamingTheProcessThatHasIt() {
        // Two relays on one file would each miss the other's events on their streams for good.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteStore.open(SqliteStore.Settings.defaults(file()),
                        events -> { }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("another relay (process " + ProcessHandle.current().pid() + ")")
                .hasMessageContaining("AGENT_RELAY_DATABASE_URL");

        writes().saveAgent(ALICE);
        reopen();
        assertThat(reads().agent("alice")).as("the lock is released with the store").contains(ALICE);
    }

    @Test
    void aFullStoreRefusesWritesAsUnavailableAndWritesResumeOnceThereIsRoomAgain() throws Exception {
        insert(draft("bob", "alice"));
        // A full disk, made small: the file may not grow past the pages it has now.
        long pages = inTransaction(tx -> pragmaLong(((JdbcTx) tx).statements.connection(), "page_count"));
        useTransaction(tx -> execute(((JdbcTx) tx).statements.connection(), "PRAGMA max_page_count = " + pages));
        String big = "x".repeat(64 * 1024);

        CompletableFuture<Message> refused = store.write(tx -> tx.insertMessage(draft("bob", "alice").body(big).build()));

        assertThat(refused).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).unavailable()).isEqualTo("SQLITE_FULL"));
        assertThat(store.writeProblem()).isEqualTo("SQLITE_FULL");

        useTransaction(tx -> execute(((JdbcTx) tx).statements.connection(), "PRAGMA max_page_count = 1073741823"));
        Message after = insert(draft("bob", "alice").body(big));
        assertThat(store.writeProblem()).isNull();
        assertThat(recentIdsOf(store)).as("the refused write left nothing").hasSize(2).contains(after.id());
    }

    private static long pragmaLong(Connection connection, String name) {
        return Long.parseLong(pragma(connection, name));
    }

    private static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    private List<Long> recentIdsOf(Store target) {
        return await(target.read(r -> r.recent(EVERYTHING))).stream().map(Message::id).toList();
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

    @Test
    void aWriteThatFailsBeforeWritingLeavesTheRestOfItsGroupToRunOnce() {
        int count = 20;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        List<CompletableFuture<Message>> writes = submitGroup(store, count, n -> tx -> {
            runs.incrementAndGet(n);
            if (n == 7) {
                tx.agent("nobody");
                throw new IllegalArgumentException("no such agent");
            }
            return tx.insertMessage(draft("w" + n, "alice").build());
        });

        assertThat(writes.get(7)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
        for (int n = 0; n < count; n++) {
            if (n != 7) {
                assertThat(writes.get(n)).succeedsWithin(WAIT);
            }
            assertThat(runs.get(n)).as("write %d ran once: nothing had to be undone", n).isEqualTo(1);
        }
        assertThat(reads().counts().messages()).isEqualTo(count - 1);
    }

    @Test
    void aWriteThatFailsAfterWritingIsUndoneAndTheOthersCommitExactlyOnce() {
        int count = 20;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        List<CompletableFuture<Message>> writes = submitGroup(store, count, n -> tx -> {
            runs.incrementAndGet(n);
            Message message = tx.insertMessage(draft("w" + n, "alice").build());
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "w" + n, null), Map.of("n", n), 1);
            if (n == 7 || n == 12) {
                throw new IllegalStateException("write " + n + " fails after writing");
            }
            return message;
        });

        List<String> committed = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            if (n == 7 || n == 12) {
                assertThat(writes.get(n)).failsWithin(WAIT);
            } else {
                assertThat(writes.get(n)).succeedsWithin(WAIT);
                committed.add("w" + n);
            }
        }
        assertThat(runs.get(7)).as("the write that spoiled the group does not run again").isEqualTo(1);
        assertThat(reads().recent(EVERYTHING)).extracting(Message::from).containsExactlyInAnyOrderElementsOf(committed);
        assertThat(sink.events()).extracting(event -> event.scope().agentId())
                .containsExactlyInAnyOrderElementsOf(committed);
        assertThat(eventIds(EventQuery.after(0, 1_000))).containsExactlyElementsOf(
                sink.events().stream().map(Event::id).toList());
    }

    @Test
    void aGroupsFuturesCompleteOnTheirCallersExecutorsInOneTaskEach() throws Exception {
        ExecutorService homeA = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("home-a").factory());
        ExecutorService homeB = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("home-b").factory());
        AtomicInteger tasksA = new AtomicInteger();
        AtomicInteger tasksB = new AtomicInteger();
        Executor countingA = task -> {
            tasksA.incrementAndGet();
            homeA.execute(task);
        };
        Executor countingB = task -> {
            tasksB.incrementAndGet();
            homeB.execute(task);
        };
        // The caller's executor is chosen by the submitting thread's name, as a Vert.x context is by its event loop.
        CallerExecutors callers = () -> switch (Thread.currentThread().getName()) {
            case "submit-a" -> countingA;
            case "submit-b" -> countingB;
            default -> null;
        };
        try (Store routed = SqliteStore.open(SqliteStore.Settings.defaults(dir.resolve("routed.db")), events -> { },
                callers)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> hold = holdWriter(routed, release);
            List<CompletableFuture<String>> completedOn = new CopyOnWriteArrayList<>();
            List<Thread> submitters = new ArrayList<>();
            for (String name : List.of("submit-a", "submit-b", "submit-other")) {
                submitters.add(Thread.ofPlatform().name(name).start(() -> {
                    for (int i = 0; i < 10; i++) {
                        completedOn.add(routed.write(tx -> tx.insertMessage(draft("x", "alice").build()))
                                .thenApply(message -> Thread.currentThread().getName()));
                    }
                }));
            }
            for (Thread submitter : submitters) {
                submitter.join();
            }
            release.countDown();
            assertThat(hold).succeedsWithin(WAIT);

            List<String> threads = new ArrayList<>();
            for (CompletableFuture<String> future : completedOn) {
                threads.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(threads).filteredOn("home-a"::equals).hasSize(10);
            assertThat(threads).filteredOn("home-b"::equals).hasSize(10);
            assertThat(threads).filteredOn(name -> name.startsWith("relay-notify")).hasSize(10);
            assertThat(tasksA).as("one task for the ten writes of home-a in one group").hasValue(1);
            assertThat(tasksB).hasValue(1);
        } finally {
            homeA.shutdownNow();
            homeB.shutdownNow();
        }
    }

    @Test
    void aCallerWithoutAnExecutorIsNeverAnsweredOnTheWriterThread() {
        // Such a future's continuations run where it is completed: on the writer they would hold
        // up every later write, and one that waited for another write would wait for itself.
        try (Store plain = SqliteStore.open(SqliteStore.Settings.defaults(dir.resolve("plain.db")), events -> { },
                CallerExecutors.NONE)) {
            for (int i = 0; i < 3; i++) {
                // Held back until its continuation is attached, or the continuation could run here.
                CountDownLatch release = new CountDownLatch(1);
                CompletableFuture<Void> hold = holdWriter(plain, release);
                CompletableFuture<String> answeredOn = plain.write(tx -> tx.insertMessage(draft("a", "alice").build()))
                        .thenApply(message -> Thread.currentThread().getName());
                release.countDown();
                assertThat(hold).succeedsWithin(WAIT);
                assertThat(answeredOn).succeedsWithin(WAIT).isEqualTo("relay-notify");
            }
        }
    }

    /** Submits {@code count} writes, made by {@code work}, behind a held writer so that they commit as one group. */
    private static <T> List<CompletableFuture<T>> submitGroup(Store target, int count,
                                                               IntFunction<Function<Tx, T>> work) {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hold = holdWriter(target, release);
        List<CompletableFuture<T>> writes = new ArrayList<>();
        try {
            for (int n = 0; n < count; n++) {
                writes.add(target.write(work.apply(n)));
            }
        } finally {
            release.countDown();
        }
        assertThat(hold).succeedsWithin(WAIT);
        return writes;
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
                    tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "w" + n, null),
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
