package io.agentrelay.server.http;

import io.agentrelay.server.activity.ActivityService;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.channels.ChannelService;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.pairs.PairService;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.configstore.ConfigService;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.EventBus;
import io.agentrelay.server.events.EventService;
import io.agentrelay.server.events.LogHead;
import io.agentrelay.server.events.StreamEnd;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.metrics.RelayMetrics;
import io.agentrelay.server.orchestrators.OrchestratorService;
import io.agentrelay.server.policies.PolicyService;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.system.Reaper;
import io.agentrelay.server.system.Stats;
import io.agentrelay.server.tasks.TaskService;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge: authentication, body limits, the route classes, and error rendering (by
 * {@link Errors}, the one table; filters and handlers pass typed errors to it). Handlers run on
 * event loops and never block; store work completes futures on other threads.
 */
public final class HttpEdge implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpEdge.class);
    private final List<HttpServer> servers;
    private final LiveStreams streams;

    private HttpEdge(List<HttpServer> servers, LiveStreams streams) {
        this.servers = servers;
        this.streams = streams;
    }

    /** Services the routes call. */
    public record Services(AgentService agents, MessageService messages, EventService events, Reaper reaper,
                           Stats stats, TaskService tasks, ActivityService activity, ConfigService config,
                           OrchestratorService orchestrators, CommandService commands,
                           ChannelService channels, PairService pairs, PolicyService policies,
                           io.agentrelay.server.connectors.ConnectorService connectors) {
    }

    /**
     * One HTTP server on one event loop. A Vert.x server created outside a verticle is served by a
     * single event loop; the edge deploys one of these per core, all on the same port, and Vert.x
     * spreads the connections across them.
     */
    private static final class EdgeVerticle extends VerticleBase {
        private final java.util.function.Function<Vertx, Router> routers;
        private final java.util.function.Function<Vertx, ConnectionGuard> guards;
        private final HttpServerOptions options;
        private final List<HttpServer> started;

        EdgeVerticle(java.util.function.Function<Vertx, Router> routers,
                     java.util.function.Function<Vertx, ConnectionGuard> guards, HttpServerOptions options,
                     List<HttpServer> started) {
            this.routers = routers;
            this.guards = guards;
            this.options = options;
            this.started = started;
        }

        @Override
        public Future<?> start() {
            ConnectionGuard guard = guards.apply(vertx);
            return vertx.createHttpServer(options)
                    .connectionHandler(guard::onConnection)
                    .requestHandler(guard.requests(routers.apply(vertx)))
                    .listen()
                    .onSuccess(started::add);
        }
    }

    /**
     * Loads the web stack's classes (router, body handler, server) without serving anything, so
     * that this can run on another core while the store opens.
     */
    public static void preload(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route("/preload").handler(BodyHandler.create(false));
        vertx.createHttpServer(new HttpServerOptions()).requestHandler(router);
    }

    /** Binds and starts listening on every event loop; returns once the port is open. */
    public static HttpEdge start(Vertx vertx, RelayConfig config, Store store, EventBus bus, LogHead head,
                                 Services services, RelayMetrics metrics) {
        TokenCheck tokens = config.token() == null ? null : new TokenCheck(config.token());
        LiveStreams streams = new LiveStreams(bus, head, services.stats()::now);
        metrics.watchStreams(streams::size);
        DashboardRoutes.Loader dashboard = new DashboardRoutes.Loader();
        java.util.function.Function<Vertx, Router> routers = v -> router(v, config, store, services, streams, tokens,
                dashboard, metrics);
        // Connection caps and the body budget are for the whole edge; each event loop has its own guard.
        ConnectionCounts counts = new ConnectionCounts(config.edge().maxConnections(),
                config.edge().maxConnectionsPerAddress());
        BodyBudget bodies = new BodyBudget(config.edge().maxPendingBodyBytes());
        java.util.function.Function<Vertx, ConnectionGuard> guards = v -> new ConnectionGuard(v, config.edge(),
                config.maxBodyBytes(), counts, bodies, services.stats());
        List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
        int loops = Runtime.getRuntime().availableProcessors();
        try {
            // PORT=0 means any free port: pick one first, so that every instance shares that port.
            int port = config.port() == 0 ? freePort(config.host()) : config.port();
            await(vertx.deployVerticle(() -> new EdgeVerticle(routers, guards, options(config, port), servers),
                    new DeploymentOptions().setInstances(loops)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e), e);
        }
        return new HttpEdge(servers, streams);
    }

    private static int freePort(String host) throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        }
    }

    private static HttpServerOptions options(RelayConfig config, int port) {
        return new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setCompressionSupported(false)
                // HTTP/1.1 only. With clear-text HTTP/2 on (Vert.x's default) a connection is set up
                // only once its first bytes tell which protocol it speaks, so one that sends nothing
                // was invisible to the ConnectionGuard; and no client of the relay speaks h2c.
                .setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(WebSocketRoutes.MAX_FRAME_BYTES)
                // Messages are reassembled (and their size enforced) by WsStream itself.
                .setMaxWebSocketMessageSize(WebSocketRoutes.MAX_FRAME_BYTES * 2)
                .setIdleTimeout(0);
    }

    /** The routes of one server: authentication, body limits, the route classes, error rendering. */
    private static Router router(Vertx vertx, RelayConfig config, Store store, Services services,
                                 LiveStreams streams, TokenCheck tokens, DashboardRoutes.Loader dashboard,
                                 RelayMetrics metrics) {
        Router router = Router.router(vertx);
        // First of the failure handlers: a client that disconnects mid-body is the client's business,
        // counted in /api/stats, not an error (one ERROR line per disconnect used to flood the log).
        router.route().failureHandler(context -> {
            if (clientGone(context)) {
                services.stats().countAbortedRequest();
                LOG.debug("{} {}: the client went away before its request was complete",
                        context.request().method(), context.request().path(), context.failure());
            } else {
                context.next();
            }
        });
        // Integration routes authenticate with integration tokens, before (and instead of) the relay token.
        IntegrationGate integrations = new IntegrationGate(services.tasks());
        router.route(IntegrationGate.EVENTS_PATH).handler(integrations::handle);
        router.route("/api/*").handler(context -> authenticate(context, tokens));
        router.route("/ws").handler(context -> authenticate(context, tokens));
        router.route(MetricsRoutes.PATH).handler(context -> authenticate(context, tokens));
        router.route("/api/*").handler(HttpEdge::refuseMultipart);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
        Api api = new Api(router, config.edge().maxJsonDepth(), metrics);
        List<Routes> routes = List.of(
                new SystemRoutes(services.stats(), services.reaper(), streams),
                new AgentRoutes(services.agents(), services.messages()),
                new MessageRoutes(services.messages()),
                new EventRoutes(services.events(), store, config, streams),
                new WebSocketRoutes(store, services.events(), streams, config, services.stats().instanceId()),
                new IntegrationRoutes(services.tasks()),
                new TaskRoutes(services.tasks()),
                new ActivityRoutes(services.activity()),
                new ConfigRoutes(services.config()),
                new SpawnPolicyRoutes(services.policies()),
                new OrchestratorRoutes(services.orchestrators()),
                new CommandRoutes(services.commands()),
                new ChannelRoutes(services.channels()),
                new PairRoutes(services.pairs()),
                new ConnectorRoutes(services.connectors()),
                new StreamRoutes(streams),
                new MetricsRoutes(metrics),
                new OpenApiRoutes(),
                new DashboardRoutes(dashboard));
        routes.forEach(r -> r.register(api));
        // Last: every failure a filter or handler passes on (context.fail), and the statuses
        // Vert.x chooses itself (no route, wrong method, body too large), become typed errors
        // rendered by the one table.
        router.route().failureHandler(context -> Errors.render(context, failureOf(context, config.maxBodyBytes())));
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, context -> Errors.render(context, failureOf(context, config.maxBodyBytes())));
        }
        return router;
    }

    /** What failed: the exception passed on, or the typed error for a status Vert.x chose. */
    private static Throwable failureOf(RoutingContext context, int maxBodyBytes) {
        Throwable failure = context.failure();
        int status = failure instanceof io.vertx.ext.web.handler.HttpException http ? http.getStatusCode()
                : failure == null ? context.statusCode() : -1;
        String method = context.request().method().name();
        String path = context.request().path();
        return switch (status) {
            case -1 -> failure;
            case 400 -> new RelayError.InvalidInput(null, "bad request");
            case 404 -> new RelayError.NotFound("no route for " + method + " " + path);
            case 405 -> new RelayError.MethodNotAllowed("method " + method + " is not allowed on " + path);
            case 413 -> new RelayError.PayloadTooLarge("body exceeds MAX_BODY_BYTES (" + maxBodyBytes + " bytes)");
            default -> new IllegalStateException("request failed with status " + status, failure);
        };
    }

    private static boolean clientGone(RoutingContext context) {
        return context.failure() instanceof io.vertx.core.http.HttpClosedException || context.response().closed();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static void authenticate(RoutingContext context, TokenCheck tokens) {
        String path = context.request().path();
        if (tokens == null || path.equals("/api/health") || path.equals(OpenApiRoutes.PATH)
                || IntegrationGate.authenticated(context)) {
            context.next();
            return;
        }
        String presented = TokenCheck.fromHeaders(context.request().getHeader("Authorization"),
                context.request().getHeader("X-Agent-Relay-Token"));
        if (presented == null && isStream(context.request().path())) {
            // Browsers' EventSource and WebSocket cannot set headers, so streams also accept ?token=.
            presented = context.queryParams().get("token");
        }
        if (tokens.matches(presented)) {
            context.next();
        } else {
            context.fail(new RelayError.Unauthorized(presented == null
                    ? "missing token: send Authorization: Bearer <token> or X-Agent-Relay-Token"
                    : "invalid token"));
        }
    }

    /**
     * Refuses multipart bodies: the body handler decodes them into form attributes and leaves the
     * JSON body empty, so a PATCH answered 200 without applying anything and a session guard in the
     * body went unchecked. (Other content types are read as JSON, as documented.)
     */
    private static void refuseMultipart(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, "multipart/".length())) {
            context.fail(new RelayError.UnsupportedMediaType("Content-Type " + type.split(";", 2)[0].trim()
                    + " is not accepted: send the body as JSON (Content-Type: application/json)"));
            return;
        }
        context.next();
    }

    private static boolean isStream(String path) {
        return path.equals("/api/events/stream") || path.equals("/ws");
    }

    public int port() {
        return servers.get(0).actualPort();
    }

    /**
     * Ends every live stream with a {@code shutdown} comment, then closes the listener and the
     * remaining connections. Streams go first because closing the server would cut them silently.
     */
    @Override
    public void close() {
        awaitQuietly(streams.closeAll(StreamEnd.SHUTDOWN));
        for (HttpServer server : servers) {
            awaitQuietly(server.close().toCompletionStage().toCompletableFuture());
        }
    }

    private static void awaitQuietly(java.util.concurrent.Future<?> step) {
        try {
            step.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // shutting down anyway: the step's resources go when the event loops stop
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
