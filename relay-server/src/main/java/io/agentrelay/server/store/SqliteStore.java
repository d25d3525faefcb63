package io.agentrelay.server.store;

import io.agentrelay.server.threads.RelayThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * The default store: one SQLite file in WAL mode. Writes go through the {@link GroupCommitWriter}
 * on its one connection with {@code synchronous=FULL}, so a completed write survives a crash or
 * power loss. Reads run on a small pool of threads, each owning one read-only connection; WAL lets
 * them read committed state while the writer works.
 */
public final class SqliteStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    static final int BUSY_TIMEOUT_MS = 2_000;
    /** How long the integrity check may hold up start-up before it goes on in the background. */
    static final Duration INTEGRITY_BUDGET = Duration.ofMillis(500);
    private final SQLiteDataSource writeSource;
    private final SQLiteDataSource readSource;
    private final Statements writeStatements;
    private final GroupCommitWriter writer;
    private final ExecutorService readers;
    // Per store, not static: each reader thread's session belongs to this store's connections (a
    // JVM may hold several stores, as the tests do).
    @SuppressWarnings("ThreadLocalUsage")
    private final ThreadLocal<JdbcReads> readerSession = new ThreadLocal<>();
    private final SingleOwner owner;
    private final List<Statements> readConnections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    /** Set when the integrity check, finishing after start-up, found the file damaged. */
    private volatile String damage;
    private final Thread integrityCheck;

    /**
     * Store settings: the file, the number of reader threads, the writer's group bounds, and how long
     * the integrity check may hold up the opening ({@link #INTEGRITY_BUDGET} by default).
     */
    public record Settings(Path file, int readers, int maxBatch, Duration window, Duration integrityBudget) {
        public Settings(Path file, int readers, int maxBatch, Duration window) {
            this(file, readers, maxBatch, window, INTEGRITY_BUDGET);
        }

        public static Settings defaults(Path file) {
            return new Settings(file, 4, 512, Duration.ZERO);
        }
    }

    private SqliteStore(Settings settings, EventSink sink, CallerExecutors callers, SingleOwner owner)
            throws SQLException {
        this.owner = owner;
        NativeSqlite.prepare();
        this.writeSource = dataSource(settings.file(), false);
        this.readSource = dataSource(settings.file(), true);
        boolean checked = checkIntegrity(settings);
        Migrations.migrate(writeSource, "sqlite");
        releaseLeasesOfEndedProcesses();
        this.writeStatements = new Statements(writeSource.getConnection());
        long lastEventId = highestEventIdEverAssigned(writeStatements);
        this.writer = new GroupCommitWriter(writeStatements, new Transactions(writeStatements), sink, callers,
                settings.maxBatch(), settings.window(), lastEventId);
        this.readers = Executors.newFixedThreadPool(settings.readers(), RelayThreads.daemons("relay-read-"));
        if (checked) {
            this.integrityCheck = null;
        } else {
            this.integrityCheck = RelayThreads.daemon("relay-integrity-check", () -> finishCheck(settings.file()));
            this.integrityCheck.start();
        }
    }

    /**
     * Checks the file for damage before anything else touches it, for at most the settings' budget.
     * Damage found in time refuses the opening, with how to recover; a check that needs longer (a
     * large store: about 3 s per 700 MB here) finishes in the background.
     *
     * @return whether the check finished
     */
    private boolean checkIntegrity(Settings settings) throws SQLException {
        IntegrityCheck.Result result;
        try (Connection connection = writeSource.getConnection()) {
            result = IntegrityCheck.run(connection, IntegrityCheck.within(settings.integrityBudget()));
        } catch (SQLiteException e) {
            if (IntegrityCheck.damaged(e)) {
                throw new StoreException(IntegrityCheck.advice(settings.file(), List.of(e.getMessage())), e);
            }
            throw e;
        }
        if (result.verdict() == IntegrityCheck.Verdict.DAMAGED) {
            throw new StoreException(IntegrityCheck.advice(settings.file(), result.problems()), null);
        }
        return result.verdict() == IntegrityCheck.Verdict.SOUND;
    }

    /**
     * One relay has the file at a time ({@link SingleOwner}), so a lease found at opening (a
     * callback being sent, the reaper's timer) was taken by a process that has ended, a
     * {@code kill -9} say: freed now, its callback is sent again at once instead of when the lease
     * would have run out (60 s).
     */
    private void releaseLeasesOfEndedProcesses() throws SQLException {
        try (Connection connection = writeSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE callback_deliveries SET lease_until = 0 WHERE lease_until > 0");
            statement.executeUpdate("DELETE FROM leases");
        }
    }

    /** The rest of a check that did not fit the budget: damage found now is logged and makes the store degraded. */
    private void finishCheck(Path file) {
        long start = System.nanoTime();
        try (Connection connection = readSource.getConnection()) {
            IntegrityCheck.Result result = IntegrityCheck.run(connection, () -> closed);
            switch (result.verdict()) {
                case SOUND -> LOG.info("integrity check of {} finished in the background: no damage ({} ms)", file,
                        (System.nanoTime() - start) / 1_000_000);
                case DAMAGED -> {
                    damage = IntegrityCheck.advice(file, result.problems());
                    LOG.error(damage);
                }
                case UNFINISHED -> LOG.debug("integrity check of {} stopped: the store closed", file);
            }
        } catch (SQLException | RuntimeException e) {
            if (!closed) {
                LOG.warn("integrity check of {} could not finish: {}", file, e.getMessage());
            }
        }
    }

    /** Opens (creating if needed) the database file and brings its schema up to date. */
    public static SqliteStore open(Settings settings, EventSink sink) {
        return open(settings, sink, CallerExecutors.NONE);
    }

    /** Like {@link #open(Settings, EventSink)}, completing writes on the executors {@code callers} names. */
    public static SqliteStore open(Settings settings, EventSink sink, CallerExecutors callers) {
        try {
            Path parent = settings.file().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SingleOwner owner = SingleOwner.take(settings.file().toAbsolutePath());
            try {
                return new SqliteStore(settings, sink, callers, owner);
            } catch (SQLException | RuntimeException e) {
                owner.close();
                throw e;
            }
        } catch (SQLiteException e) {
            throw new StoreException(IntegrityCheck.damaged(e) ? IntegrityCheck.advice(settings.file(), List.of(e.getMessage()))
                    : "cannot open the SQLite store at " + settings.file() + ": " + e.getMessage(), e);
        } catch (IOException | SQLException e) {
            throw new StoreException("cannot open the SQLite store at " + settings.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Read from the AUTOINCREMENT counter, not MAX(id): retention may have pruned every event, and
     * lastEventId must not go back to 0 across a restart while event ids carry on from the counter.
     */
    private static long highestEventIdEverAssigned(Statements statements) throws SQLException {
        try (Statement statement = statements.connection().createStatement();
             ResultSet rs = statement.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'events'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static SQLiteDataSource dataSource(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        // How long a write waits for a lock another connection holds (a backup tool, say) before it
        // fails; the relay then answers 503 with Retry-After rather than holding the request longer.
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        if (readOnly) {
            config.setReadOnly(true);
        } else {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // FULL: the WAL is fsync'd at every commit, so an acknowledged write survives power loss.
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        }
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source;
    }

    @Override
    public <T> CompletableFuture<T> write(Function<Tx, T> work) {
        return writer.submit(work);
    }

    @Override
    public <T> CompletableFuture<T> read(Function<Reads, T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> work.apply(readerSession()), readers);
        } catch (RejectedExecutionException e) {
            // Like a write, a read on a closed store fails through its future instead of throwing.
            return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
        }
    }

    private JdbcReads readerSession() {
        JdbcReads session = readerSession.get();
        if (session == null) {
            try {
                Statements statements = new Statements(readSource.getConnection());
                readConnections.add(statements);
                session = new JdbcReads(statements);
                readerSession.set(session);
            } catch (SQLException e) {
                throw new StoreException("cannot open a read connection", e);
            }
        }
        return session;
    }

    @Override
    public String writeProblem() {
        String found = damage;
        return found != null ? found : writer.problem();
    }

    @Override
    public WriterCounts writerCounts() {
        return writer.counts();
    }

    @Override
    public String kind() {
        return "sqlite";
    }

    @Override
    public long lastEventId() {
        return writer.lastEventId();
    }

    /**
     * {@code BEGIN IMMEDIATE} takes SQLite's write lock at once, so a group never fails half-way for
     * want of it. The control statements are prepared once and reused: they run for every group.
     */
    private record Transactions(Statements statements) implements TransactionControl {
        @Override
        public void begin() throws SQLException {
            statements.prepare("BEGIN IMMEDIATE").execute();
        }

        @Override
        public void commit(long lastEventId) throws SQLException {
            statements.prepare("COMMIT").execute();
        }

        @Override
        public void rollbackQuietly() {
            try (Statement statement = statements.connection().createStatement()) {
                statement.execute("ROLLBACK");
            } catch (SQLException ignored) {
                // no transaction was open, or the connection is gone: nothing to undo
            }
        }

        @Override
        public String recover() {
            statements.reset(null);
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.close();
        readers.shutdown();
        try {
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readConnections.forEach(Statements::close);
        writeStatements.close();
        if (integrityCheck != null) {
            try {
                integrityCheck.join(2_000); // stops within a few thousand steps of SQLite once closed is set
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        owner.close();
    }
}
