package io.agentrelay.server;

import io.agentrelay.server.activity.ActivityService;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.callbacks.CallbackDispatcher;
import io.agentrelay.server.channels.ChannelService;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.pairs.PairService;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.configstore.ConfigService;
import io.agentrelay.server.connectors.ConnectorService;
import io.agentrelay.server.connectors.InstalledConnectors;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.EventService;
import io.agentrelay.server.events.LogTailer;
import io.agentrelay.server.http.EventLoopExecutors;
import io.agentrelay.server.http.HttpEdge;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.metrics.RelayMetrics;
import io.agentrelay.server.messages.QueuedDelivery;
import io.agentrelay.server.policies.PolicyService;
import io.agentrelay.server.orchestrators.OrchestratorService;
import io.agentrelay.server.store.PostgresStore;
import io.agentrelay.server.store.SqliteStore;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.system.Reaper;
import io.agentrelay.server.system.Stats;
import io.agentrelay.server.tasks.TaskService;
import io.agentrelay.server.threads.RelayThreads;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.internal.VertxBootstrap;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the store, the event bus, the services, the reaper timer, the callback
 * dispatcher and the HTTP edge, wired together. {@link #close()} shuts down in order: stop the
 * timer and the callback dispatcher, stop listening, end streams, flush the writer, close the store.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
    /** The tailer's safety-net poll of the log, for a wake-up that never came. */
    private static final java.time.Duration TAIL_POLL = java.time.Duration.ofSeconds(1);

    private final RelayConfig config;
    private final Vertx vertx;
    private final Store store;
    private final HttpEdge edge;
    private final Stats stats;
    private final long reapTimer;
    private final CallbackDispatcher callbacks;
    private final LogTailer tailer;
    private final ConnectorService connectors;
    private final RelayMetrics metrics;
    private volatile boolean closed;

    private RelayServer(RelayConfig config, Vertx vertx, Store store, HttpEdge edge, Stats stats, long reapTimer,
                        CallbackDispatcher callbacks, LogTailer tailer, ConnectorService connectors,
                        RelayMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.connectors = connectors;
        this.tailer = tailer;
        this.vertx = vertx;
        this.store = store;
        this.edge = edge;
        this.stats = stats;
        this.reapTimer = reapTimer;
        this.callbacks = callbacks;
    }

    /** Opens the store (migrating it), starts the services and listens. */
    public static RelayServer start(RelayConfig config, Clock clock) {
        long began = System.nanoTime();
        EventBus bus = new EventBus();
        // The bus is fed by the log tailer only; the store's writer tells the tailer of its commits.
        LogTailer tailer = new LogTailer(bus, TAIL_POLL, java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                RelayThreads.daemon("relay-tailer")));
        // Start-up time is mostly class loading: boot the event loops while the store opens and migrates.
        CompletableFuture<Vertx> booting = CompletableFuture.supplyAsync(() -> {
            // Linux's native epoll transport where its library loads (x86_64 and ARM64; NIO elsewhere):
            // ~6% less relay CPU per request than NIO in alternating runs (docs/performance.md).
            // No file serving, so no class-path file cache: Vert.x would otherwise make a
            // vertx-cache-* folder in the temp folder at every start, left behind by every kill -9.
            Vertx booted = eventLoops();
            HttpEdge.preload(booted);
            return booted;
        }, runnable -> RelayThreads.lasting("relay-boot", runnable).start());
        String instanceId = java.util.UUID.randomUUID().toString();
        Store store;
        try {
            store = openStore(config, tailer, instanceId);
        } catch (RuntimeException e) {
            booting.thenAccept(RelayServer::awaitQuietly);
            tailer.close();
            throw e;
        }
        tailer.start(store);
        long storeOpened = System.nanoTime();
        Vertx vertx = booting.join();
        CallbackDispatcher callbacks = null;
        ConnectorService connectors = null;
        RelayMetrics metrics = new RelayMetrics();
        try {
            // A policy's agent is what its managed state says is running (declared by registration
            // for a policy the relay never started); its state is running before its queue resolves.
            QueuedDelivery queued = new QueuedDelivery(QueuedDelivery.PolicyAgents.managedOrDeclared(PolicyService::runningAgent));
            AgentService agents = new AgentService(store, clock, List.of(PolicyService::agentRegistered, queued::registered));
            SignsOfLife signsOfLife = new SignsOfLife(store, clock);
            MessageService messages = new MessageService(store, clock, config.claimTtl(), signsOfLife, queued);
            PairService pairs = new PairService(store, clock, messages, signsOfLife);
            Reaper reaper = new Reaper(store, clock, config, queued, pairs);
            Stats stats = new Stats(store, tailer, clock, instanceId);
            metrics.watch(stats, store, tailer);
            TaskService tasks = new TaskService(store, messages, clock, config.integrations(), signsOfLife);
            ActivityService activity = new ActivityService(store, clock);
            ConfigService configStore = new ConfigService(store, clock);
            EventService events = new EventService(store, tailer, messages::seen);
            OrchestratorService orchestrators = new OrchestratorService(store, clock, config.commandTtl());
            CommandService commands = new CommandService(store, clock, signsOfLife, PolicyService::commandFinished);
            PolicyService policies = new PolicyService(store, clock, configStore, config.commandTtl());
            ChannelService channels = new ChannelService(store, messages, signsOfLife, clock);
            // A connector's program reaches the relay on this machine: known once the edge listens.
            java.util.concurrent.atomic.AtomicReference<String> localUrl = new java.util.concurrent.atomic.AtomicReference<>();
            connectors = new ConnectorService(store, clock, new InstalledConnectors(config.connectorsDir()), localUrl::get);
            callbacks = CallbackDispatcher.start(store, bus, clock, config.integrations());
            HttpEdge edge = HttpEdge.start(vertx, config, store, bus, tailer,
                    new HttpEdge.Services(agents, messages, events, reaper, stats, tasks, activity,
                            configStore, orchestrators, commands, channels, pairs, policies, connectors), metrics);
            localUrl.set(localUrl(config.host(), edge.port()));
            long timer = vertx.setPeriodic(config.reapInterval().toMillis(), id -> reaper.reapIfLeaseHolder(instanceId)
                    .exceptionally(error -> {
                        LOG.warn("scheduled reap failed", error);
                        return null;
                    }));
            if (!vertx.isNativeTransportEnabled() && "Linux".equals(System.getProperty("os.name"))) {
                LOG.info("epoll transport unavailable, using NIO: {}", String.valueOf(vertx.unavailableNativeTransportCause()));
            }
            LOG.info("started in {} ms since JVM start ({} store open and migrated in {} ms, HTTP up in {} ms, {} transport)",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), store.kind(),
                    (storeOpened - began) / 1_000_000, (System.nanoTime() - storeOpened) / 1_000_000,
                    vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
            return new RelayServer(config, vertx, store, edge, stats, timer, callbacks, tailer, connectors, metrics);
        } catch (RuntimeException e) {
            if (callbacks != null) {
                callbacks.close();
            }
            if (connectors != null) {
                connectors.close();
            }
            awaitQuietly(vertx);
            tailer.close();
            store.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * Vert.x, with its threads from {@link RelayThreads#vertx()}. Vert.x 5's public builder takes no
     * thread factory, so this goes through its bootstrap, which the builder itself uses, and chooses
     * the transport as the builder does: the native one where it loads, else NIO (TransportTest
     * checks that epoll is still in use on Linux).
     */
    private static Vertx eventLoops() {
        VertxOptions options = new VertxOptions().setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false));
        io.vertx.core.transport.Transport transport = io.vertx.core.transport.Transport.nativeTransport();
        if (transport == null) {
            transport = io.vertx.core.transport.Transport.NIO;
        }
        return VertxBootstrap.create()
                .options(options)
                .transport(transport.implementation())
                .threadFactory(RelayThreads.vertx())
                .init()
                .vertx();
    }

    /** The configured store: a shared PostgreSQL database when one is named, else the SQLite file. */
    private static Store openStore(RelayConfig config, LogTailer tailer, String instanceId) {
        if (config.databaseUrl() != null) {
            PostgresStore.Settings settings = PostgresStore.Settings.of(config.databaseUrl().jdbcUrl(),
                    config.databaseUrl().user(), config.databaseUrl().password(), instanceId);
            try {
                return PostgresStore.open(settings, tailer, new EventLoopExecutors());
            } catch (RuntimeException e) {
                throw new IllegalStateException(e.getMessage() + " (" + config.databaseUrl().redacted() + ")", e);
            }
        }
        return SqliteStore.open(SqliteStore.Settings.defaults(config.database()), tailer, new EventLoopExecutors());
    }

    /** Where a program on this machine reaches the relay: loopback when it listens on every address. */
    private static String localUrl(String host, int port) {
        String h = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1" : host;
        h = h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
        return "http://" + h + ":" + port;
    }

    public int port() {
        return edge.port();
    }

    public String url() {
        String host = config.host().contains(":") && !config.host().startsWith("[")
                ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public RelayConfig config() {
        return config;
    }

    /** The task-callback dispatcher; tests drive it with {@link CallbackDispatcher#runDue()}. */
    public CallbackDispatcher callbacks() {
        return callbacks;
    }

    public String instanceId() {
        return stats.instanceId();
    }

    /** Whether the event loops run on Linux's native epoll transport (false: Java NIO). */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    /** Why the native transport is not in use, or null. */
    public Throwable nativeTransportUnavailable() {
        return vertx.unavailableNativeTransportCause();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(reapTimer);
        // Before the store closes: an attempt in flight is abandoned unrecorded and resent after a restart.
        callbacks.close();
        connectors.close();
        edge.close();
        awaitQuietly(vertx);
        store.close();
        tailer.close();
        metrics.close();
    }

    private static void awaitQuietly(Vertx vertx) {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("event loops did not stop cleanly", e);
        }
    }
}
