package io.agentrelay.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agentrelay.server.threads.RelayThreads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster store: one PostgreSQL database shared by any number of relay nodes.
 *
 * <p><b>Writes.</b> Each node has one writer, the same {@link GroupCommitWriter} as the SQLite
 * store, on one connection: units of work queue up and commit in groups, so a node pays one commit
 * (one WAL flush, {@code synchronous_commit} on) per group, not per request. Every group first
 * takes a transaction-scoped advisory lock ({@link #WRITE_LOCK}) that all nodes share, so write
 * transactions of the whole cluster run one at a time, each holding it until its commit. That is
 * how event ids become visible in id order: a sequence hands ids out before commit, and without
 * the lock id N+1 could commit before N, letting a log tailer move past an id that appears later.
 * With it, every id a group draws is above every id already committed. Taking the lock first in
 * the transaction, before any row lock, also means writers can never deadlock each other. The cost
 * is that the cluster's write throughput is that of one writer with group commit (measured in
 * docs/performance.md); the correctness of claims and unique keys does not rest on it: they are
 * conditional updates and constraints (see the store contract's race tests).
 *
 * <p><b>Telling the other nodes.</b> A group that appended events sends {@code NOTIFY} on
 * {@link #CHANNEL} inside its transaction (delivered at commit) with this node's id and the last
 * event id; every node {@code LISTEN}s on a connection of its own and wakes its log tailer.
 *
 * <p><b>Reads</b> borrow a pooled connection (HikariCP) per unit of work, on a small pool of
 * reader threads so that callers never block on I/O.
 */
public final class PostgresStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    /** The cluster-wide write lock's key (ASCII "AgntRlay"); any application sharing the database must not use it. */
    static final long WRITE_LOCK = 0x41676E74526C6179L;
    /** The notification channel of committed events. */
    static final String CHANNEL = "agent_relay_events";
    private static final Duration LISTEN_RETRY = Duration.ofSeconds(1);

    private final Settings settings;
    private final HikariDataSource pool;
    private final Statements writeStatements;
    private final GroupCommitWriter writer;
    private final ExecutorService readers;
    private final String nodeId;
    private volatile Thread listener;
    private volatile Connection listening;
    private volatile boolean closed;

    /**
     * Where the database is and how much of it this node may use.
     *
     * @param url      a {@code jdbc:postgresql://} URL
     * @param user     null when the URL carries it
     * @param password null when the URL carries it or none is needed
     * @param readers  reader threads, each using at most one pooled connection at a time
     * @param nodeId   this node's name in notifications, so it can ignore its own
     */
    public record Settings(String url, String user, String password, int readers, int maxBatch, Duration window,
                           String nodeId) {
        public static Settings of(String url, String user, String password, String nodeId) {
            return new Settings(url, user, password, 4, 512, Duration.ZERO, nodeId);
        }
    }

    private PostgresStore(Settings settings, EventSink sink, CallerExecutors callers) throws SQLException {
        this.settings = settings;
        this.nodeId = settings.nodeId();
        this.pool = pool(settings);
        try {
            Migrations.migrate(pool, "postgresql");
            Connection writeConnection = writeConnection();
            this.writeStatements = new Statements(writeConnection);
            long lastEventId = headEventId(pool);
            this.writer = new GroupCommitWriter(writeStatements, new Transactions(), sink, callers,
                    settings.maxBatch(), settings.window(), lastEventId);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
        this.readers = Executors.newFixedThreadPool(settings.readers(), RelayThreads.daemons("relay-read-"));
    }

    /** Connects, brings the schema up to date (Flyway locks it against other nodes doing the same), and starts the writer. */
    public static PostgresStore open(Settings settings, EventSink sink, CallerExecutors callers) {
        try {
            return new PostgresStore(settings, sink, callers);
        } catch (SQLException | RuntimeException e) {
            // The URL may carry a password: the caller names the database in its own words.
            throw new StoreException("cannot open the PostgreSQL store: " + rootMessage(e), e);
        }
    }

    public static PostgresStore open(Settings settings, EventSink sink) {
        return open(settings, sink, CallerExecutors.NONE);
    }

    private static HikariDataSource pool(Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        // The readers, the writer's connection, and one spare for start-up and migrations.
        config.setMaximumPoolSize(settings.readers() + 2);
        config.setMinimumIdle(1);
        config.setPoolName("relay-db");
        // HikariCP's housekeeper and connection adder/closer threads.
        config.setThreadFactory(RelayThreads.daemons("relay-db-"));
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "agent-relay");
        properties.setProperty("tcpKeepAlive", "true");
        config.setDataSourceProperties(properties);
        return new HikariDataSource(config);
    }

    /**
     * The writer's connection: manual commits, and limits so that a node that stalls mid-group
     * (paused, partitioned) cannot hold the cluster's write lock for ever.
     */
    private Connection writeConnection() throws SQLException {
        // The pool checks a connection it hands out only when it was idle for a while; after the
        // database dropped this node's sessions, the others it holds may be dead too.
        for (int attempt = 1; ; attempt++) {
            Connection connection = pool.getConnection();
            try {
                if (usable(connection)) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SET idle_in_transaction_session_timeout = '60s'");
                        statement.execute("SET lock_timeout = '30s'");
                    }
                    connection.setAutoCommit(false);
                    return connection;
                }
            } catch (SQLException e) {
                discard(connection);
                throw e;
            }
            discard(connection);
            if (attempt >= pool.getMaximumPoolSize() + 1) {
                throw new SQLException("no usable connection to PostgreSQL", "08001");
            }
        }
    }

    private static boolean usable(Connection connection) {
        try {
            return !connection.isClosed() && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Takes a broken connection out of the pool for good, so that nobody borrows it again. */
    private void discard(Connection connection) {
        try {
            pool.evictConnection(connection);
        } catch (RuntimeException e) {
            closeQuietly(connection);
        }
    }

    /**
     * The highest committed event id: the newest event, or the last one retention deleted. Not the
     * sequence, which also counts ids drawn by transactions that rolled back. A group still in
     * flight holds the write lock, so every id it draws is above this.
     */
    private static long headEventId(HikariDataSource source) {
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT GREATEST(COALESCE(MAX(e.id), 0), "
                     + "(SELECT pruned_through FROM event_log)) FROM events e")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot read the end of the event log", e);
        }
    }

    @Override
    public <T> CompletableFuture<T> write(Function<Tx, T> work) {
        return writer.submit(work);
    }

    @Override
    public <T> CompletableFuture<T> read(Function<Reads, T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try (Statements statements = new Statements(pool.getConnection())) {
                    return work.apply(new JdbcReads(statements));
                } catch (SQLException e) {
                    throw new StoreException("no database connection for a read: " + e.getMessage(), e);
                }
            }, readers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
        }
    }

    @Override
    public String writeProblem() {
        return writer.problem();
    }

    @Override
    public WriterCounts writerCounts() {
        return writer.counts();
    }

    @Override
    public String kind() {
        return "postgresql";
    }

    @Override
    public long lastEventId() {
        return headEventId(pool);
    }

    /**
     * Listens for other nodes' commits on a connection of its own (not the pool's: it is held for
     * good), reconnecting after a failure; after every (re)connect it wakes the caller once, since
     * notifications sent while nobody listened are lost.
     */
    @Override
    public void watchForeignCommits(Runnable wake) {
        Thread thread = RelayThreads.daemon("relay-listen", () -> listen(wake));
        listener = thread;
        thread.start();
    }

    private void listen(Runnable wake) {
        while (!closed) {
            try (Connection connection = java.sql.DriverManager.getConnection(settings.url(), credentials())) {
                listening = connection;
                if (closed) {
                    return;
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                org.postgresql.PGConnection pg = connection.unwrap(org.postgresql.PGConnection.class);
                wake.run();
                while (!closed) {
                    org.postgresql.PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (org.postgresql.PGNotification notification : notifications) {
                        if (!notification.getParameter().startsWith(nodeId + " ")) {
                            wake.run();
                            break;
                        }
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.warn("listening for other nodes' commits failed ({}); reconnecting in {} s", e.getMessage(),
                        LISTEN_RETRY.toSeconds());
                try {
                    Thread.sleep(LISTEN_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private Properties credentials() {
        Properties properties = new Properties();
        if (settings.user() != null) {
            properties.setProperty("user", settings.user());
        }
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("ApplicationName", "agent-relay-listen");
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    /** The writer's transactions: the cluster-wide lock first, a notification last. */
    private final class Transactions implements TransactionControl {
        @Override
        public void begin() throws SQLException {
            PreparedStatement lock = writeStatements.prepare("SELECT pg_advisory_xact_lock(?)");
            lock.setLong(1, WRITE_LOCK);
            lock.execute();
        }

        @Override
        public void commit(long lastEventId) throws SQLException {
            if (lastEventId > 0) {
                PreparedStatement notify = writeStatements.prepare("SELECT pg_notify(?, ?)");
                notify.setString(1, CHANNEL);
                notify.setString(2, nodeId + " " + lastEventId);
                notify.execute();
            }
            writeStatements.connection().commit();
        }

        @Override
        public void rollbackQuietly() {
            try {
                writeStatements.connection().rollback();
            } catch (SQLException ignored) {
                // the connection is gone; recover() replaces it
            }
        }

        @Override
        public String recover() {
            Connection current = writeStatements.connection();
            if (usable(current)) {
                writeStatements.reset(null);
                return null;
            }
            discard(current);
            try {
                writeStatements.reset(writeConnection());
                LOG.warn("the writer's database connection broke; replaced it");
            } catch (SQLException | RuntimeException e) {
                writeStatements.reset(null);
                LOG.warn("cannot replace the writer's database connection yet: {}", e.getMessage());
            }
            return "the connection to PostgreSQL was lost";
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        readers.shutdown();
        try {
            readers.awaitTermination(10, TimeUnit.SECONDS);
            closeQuietly(listening); // ends the listener's wait for notifications at once
            Thread thread = listener;
            if (thread != null) {
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeStatements.close();
        pool.close();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing on shutdown
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
