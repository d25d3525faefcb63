package io.agentrelay.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java SDK's entry point: one client per relay, shared by every thread of the application.
 *
 * <pre>{@code
 * try (RelayClient relay = RelayClient.fromEnvironment()) {
 *     relay.agents().register(Registration.builder("alice", "Alice").tags("review").build());
 *     relay.messages().send(SendMessage.builder("bob", "tag:review", "Review PR #42").claimable(true).build());
 *     Inbox inbox = relay.messages().inbox("alice", InboxQuery.UNREAD);
 * }
 * }</pre>
 *
 * <p>Calls are grouped by resource — {@link #agents()}, {@link #messages()}, {@link #events()},
 * {@link #tasks()}, {@link #config()}, {@link #orchestrators()}, {@link #commands()}, {@link #channels()},
 * {@link #pairs()}, {@link #policies()} —
 * each a thin, synchronous, thread-safe view over the relay's HTTP API; refusals throw
 * {@link RelayException} subclasses carrying the relay's status and message. Long-lived helpers
 * ({@link Agents#keepAlive heartbeats}, {@link Events#subscribe live streams}) run on virtual
 * threads and are stopped by {@link #close()}.
 */
public final class RelayClient implements AutoCloseable {
    /** The relay's default address, as {@code agent-relay serve} listens without flags. */
    public static final String DEFAULT_URL = "http://127.0.0.1:4850";
    /** How long {@link #close} lets exchanges in flight finish before it aborts them. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Transport transport;
    private final Agents agents;
    private final Messages messages;
    private final Events events;
    private final Tasks tasks;
    private final Config config;
    private final Orchestrators orchestrators;
    private final Commands commands;
    private final Channels channels;
    private final Pairs pairs;
    private final Policies policies;
    private final Connectors connectors;
    private final Set<AutoCloseable> running = ConcurrentHashMap.newKeySet();
    private final HttpClient http;

    private RelayClient(Builder builder) {
        this.http = HttpClient.newBuilder()
                // Streams are long-lived HTTP/1.1 responses; no upgrade dance on plain http.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .build();
        this.transport = new Transport(http, builder.url, builder.token, builder.requestTimeout);
        this.agents = new Agents(transport, this);
        this.messages = new Messages(transport);
        this.events = new Events(transport, this);
        this.tasks = new Tasks(transport);
        this.config = new Config(transport);
        this.channels = new Channels(transport);
        this.orchestrators = new Orchestrators(transport);
        this.commands = new Commands(transport, events);
        this.pairs = new Pairs(transport, events);
        this.policies = new Policies(transport);
        this.connectors = new Connectors(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A client for {@code url} (for example {@code http://127.0.0.1:4850}), with an optional token. */
    public static RelayClient connect(String url, String token) {
        return builder().url(url).token(token).build();
    }

    /**
     * A client configured like the CLI: {@code AGENT_RELAY_URL} (default {@value #DEFAULT_URL}) and
     * {@code AGENT_RELAY_TOKEN}.
     */
    public static RelayClient fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** {@link #fromEnvironment()} reading the given variables instead of the process's. */
    public static RelayClient fromEnvironment(Map<String, String> env) {
        String url = env.get("AGENT_RELAY_URL");
        return builder().url(url == null || url.isBlank() ? DEFAULT_URL : url.trim())
                .token(env.get("AGENT_RELAY_TOKEN"))
                .build();
    }

    /** The relay's base URL. */
    public String url() {
        return transport.base();
    }

    /** Registration, presence, heartbeats. */
    public Agents agents() {
        return agents;
    }

    /** Sending, inboxes, threads, read markers, claims. */
    public Messages messages() {
        return messages;
    }

    /** The event log and live subscriptions. */
    public Events events() {
        return events;
    }

    /** Tasks raised by integrations: listing, claiming, status and progress. */
    public Tasks tasks() {
        return tasks;
    }

    /** The versioned config store: JSON values by namespace and key, with their history. */
    public Config config() {
        return config;
    }

    /** The orchestrator registry: register, heartbeat, managed agents, spawn and restart/shutdown requests. */
    public Orchestrators orchestrators() {
        return orchestrators;
    }

    /** Channels (bridges to outside conversations), their bindings, channel events and activity. */
    public Channels channels() {
        return channels;
    }

    /** Spawn policies and their managed agents: list, get, put, delete, start, stop, restart, status. */
    public Policies policies() {
        return policies;
    }

    /** Connectors: installed and registered bridge programs, their actions and config. */
    public Connectors connectors() {
        return connectors;
    }

    /** The commands made for executors: list, follow, report, cancel. */
    public Commands commands() {
        return commands;
    }

    /** Working pairs: invite, accept, reject, end, write to the other member, follow. */
    public Pairs pairs() {
        return pairs;
    }

    /** {@code GET /api/health}; {@link RelayException.Unavailable} when the relay does not answer. */
    public Health health() {
        return transport.read(transport.get("/api/health").body(), Health.class);
    }

    /** {@code GET /api/stats}. */
    public Stats stats() {
        return transport.read(transport.get("/api/stats").body(), Stats.class);
    }

    /**
     * Closes every heartbeat (marking its agent offline) and live stream this client started and
     * still runs, then releases the client's connections.
     */
    @Override
    public void close() {
        for (AutoCloseable helper : running) {
            try {
                helper.close();
            } catch (Exception ignored) {
                // closing is best effort: the relay copes with agents that vanish
            }
        }
        running.clear();
        // Not http.close(): it waits, without a bound, for every exchange in flight, and one whose
        // server went silent (a stream being replaced, say) would hang the caller for ever.
        http.shutdown();
        try {
            if (!http.awaitTermination(CLOSE_GRACE)) {
                http.shutdownNow();
            }
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    LiveStream track(LiveStream stream) {
        running.add(stream);
        stream.whenClosed(() -> running.remove(stream));
        return stream;
    }

    Heartbeat track(Heartbeat heartbeat) {
        running.add(heartbeat);
        heartbeat.whenClosed(() -> running.remove(heartbeat));
        return heartbeat;
    }

    /** Settings of a {@link RelayClient}. */
    public static final class Builder {
        private URI url = URI.create(DEFAULT_URL);
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder url(String value) {
            return url(URI.create(Objects.requireNonNull(value, "url")));
        }

        public Builder url(URI value) {
            if (value.getScheme() == null || !(value.getScheme().equals("http") || value.getScheme().equals("https"))
                    || value.getHost() == null) {
                throw new IllegalArgumentException("relay URL must look like http://host:port, got '" + value + "'");
            }
            this.url = value;
            return this;
        }

        /** The shared secret ({@code AGENT_RELAY_TOKEN} of the relay); null or empty for none. */
        public Builder token(String value) {
            this.token = value == null || value.isBlank() ? null : value.trim();
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = Objects.requireNonNull(value);
            return this;
        }

        /** How long one call may wait for its answer (default 30 s). */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = Objects.requireNonNull(value);
            return this;
        }

        public RelayClient build() {
            return new RelayClient(this);
        }
    }
}
