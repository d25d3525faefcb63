package io.agentrelay.cli;

import io.agentrelay.server.RelayServer;
import io.agentrelay.server.config.RelayConfig;
import io.agentrelay.server.config.RelayConfig.Key;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-relay serve}: runs the relay until interrupted. Every flag overrides the environment
 * variable of the same meaning; see docs/configuration.md.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the relay (default http://127.0.0.1:4850, data in ~/.agent-relay/relay.db).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on; 0 picks a free one. Env PORT (default 4850).")
    String port;

    @Option(names = "--host", description = "Address to bind. Env HOST (default 127.0.0.1). "
            + "A non-loopback address requires a token.")
    String host;

    @Option(names = "--token", description = "Shared secret every /api call must present. Env AGENT_RELAY_TOKEN "
            + "(prefer the variable: flags are visible in the process list).")
    String token;

    @Option(names = "--db", description = "SQLite file. Env AGENT_RELAY_DB (default ~/.agent-relay/relay.db).")
    String db;

    @Option(names = "--database-url", description = "A PostgreSQL database shared by several relay nodes, "
            + "postgresql://user:password@host:5432/db or jdbc:postgresql://...; instead of --db. "
            + "Env AGENT_RELAY_DATABASE_URL (default none: SQLite).")
    String databaseUrl;

    @Option(names = "--retention-days", description = "Delete messages and events older than this; 0 keeps all. "
            + "Env RETENTION_DAYS (default 30).")
    String retentionDays;

    @Option(names = "--stale-ttl-ms", description = "Silence before an agent is stale (offline at twice this). "
            + "Env STALE_TTL_MS (default 60000).")
    String staleTtlMs;

    @Option(names = "--offline-prune-ms", description = "Silence before an offline agent is deleted. "
            + "Env OFFLINE_PRUNE_MS (default 86400000).")
    String offlinePruneMs;

    @Option(names = "--claim-ttl-ms", description = "How long a claim lasts. Env CLAIM_TTL_MS (default 300000).")
    String claimTtlMs;

    @Option(names = "--max-body-bytes", description = "Largest request body accepted (413 beyond). "
            + "Env MAX_BODY_BYTES (default 1048576).")
    String maxBodyBytes;

    @Option(names = "--reap-interval-ms", description = "How often the reaper runs. "
            + "Env AGENT_RELAY_REAP_INTERVAL_MS (default 15000).")
    String reapIntervalMs;

    @Option(names = "--sse-heartbeat-ms", description = "Interval of SSE keep-alive comments. "
            + "Env AGENT_RELAY_SSE_HEARTBEAT_MS (default 15000).")
    String sseHeartbeatMs;

    @Option(names = "--stream-queue-bytes", description = "Outbound queue of one stream before it is cut as too slow. "
            + "Env AGENT_RELAY_STREAM_QUEUE_BYTES (default 1048576).")
    String streamQueueBytes;

    @Option(names = "--integrations", description = "Integrations allowed to raise tasks: a JSON array or the path "
            + "of a file holding one. Env AGENT_RELAY_INTEGRATIONS (default none).")
    String integrations;

    @Option(names = "--integration-rate-limit-per-minute", description = "Events one integration may post per minute. "
            + "Env AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE (default 120).")
    String integrationRateLimitPerMinute;

    @Option(names = "--callback-allow-private", description = "Allow task callbacks to loopback and private addresses "
            + "(true|false). Env AGENT_RELAY_CALLBACK_ALLOW_PRIVATE (default false).")
    String callbackAllowPrivate;

    @Option(names = "--callback-max-attempts", description = "Attempts per task callback before it is marked failed. "
            + "Env AGENT_RELAY_CALLBACK_MAX_ATTEMPTS (default 10).")
    String callbackMaxAttempts;

    @Option(names = "--callback-timeout-ms", description = "How long one task callback attempt may take in all, "
            + "the answer's body included. Env AGENT_RELAY_CALLBACK_TIMEOUT_MS (default 10000).")
    String callbackTimeoutMs;

    @Option(names = "--header-timeout-ms", description = "A request's line and headers must arrive within this; "
            + "else the connection is closed. Env AGENT_RELAY_HEADER_TIMEOUT_MS (default 10000).")
    String headerTimeoutMs;

    @Option(names = "--keep-alive-timeout-ms", description = "A connection idle after a response is closed after "
            + "this. Env AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS (default 120000).")
    String keepAliveTimeoutMs;

    @Option(names = "--body-timeout-ms", description = "A request body that sends no byte for this long is cut. "
            + "Env AGENT_RELAY_BODY_TIMEOUT_MS (default 30000).")
    String bodyTimeoutMs;

    @Option(names = "--max-connections", description = "Open connections in all. "
            + "Env AGENT_RELAY_MAX_CONNECTIONS (default 16384).")
    String maxConnections;

    @Option(names = "--max-connections-per-address", description = "Open connections from one source address. "
            + "Env AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS (default 4096).")
    String maxConnectionsPerAddress;

    @Option(names = "--max-pending-body-bytes", description = "Request bodies being received, all together (503 "
            + "beyond). Env AGENT_RELAY_MAX_PENDING_BODY_BYTES (default 67108864).")
    String maxPendingBodyBytes;

    @Option(names = "--max-json-depth", description = "Deepest nesting of a JSON value in a request body. "
            + "Env AGENT_RELAY_MAX_JSON_DEPTH (default 32).")
    String maxJsonDepth;

    @Override
    public Integer call() throws InterruptedException {
        RelayConfig config;
        try {
            config = RelayConfig.from(System.getenv(), overrides());
        } catch (RelayConfig.Invalid e) {
            System.err.println("agent-relay: " + e.getMessage());
            return 2;
        }
        RelayServer server;
        try {
            server = RelayServer.start(config, Clock.systemUTC());
        } catch (RuntimeException e) {
            System.err.println("agent-relay: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("relay-shutdown").unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        String store = config.databaseUrl() != null ? "postgresql: " + config.databaseUrl().redacted()
                : "db: " + config.database().toAbsolutePath();
        System.out.println("agent-relay listening on " + server.url() + " (" + store
                + (config.token() == null ? ", no token: loopback only" : ", token required") + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Map<String, String> overrides() {
        Map<Key, String> flags = new EnumMap<>(Key.class);
        flags.put(Key.PORT, port);
        flags.put(Key.HOST, host);
        flags.put(Key.TOKEN, token);
        flags.put(Key.DB, db);
        flags.put(Key.DATABASE_URL, databaseUrl);
        flags.put(Key.RETENTION_DAYS, retentionDays);
        flags.put(Key.STALE_TTL_MS, staleTtlMs);
        flags.put(Key.OFFLINE_PRUNE_MS, offlinePruneMs);
        flags.put(Key.CLAIM_TTL_MS, claimTtlMs);
        flags.put(Key.MAX_BODY_BYTES, maxBodyBytes);
        flags.put(Key.REAP_INTERVAL_MS, reapIntervalMs);
        flags.put(Key.SSE_HEARTBEAT_MS, sseHeartbeatMs);
        flags.put(Key.STREAM_QUEUE_BYTES, streamQueueBytes);
        flags.put(Key.INTEGRATIONS, integrations);
        flags.put(Key.INTEGRATION_RATE_LIMIT_PER_MINUTE, integrationRateLimitPerMinute);
        flags.put(Key.CALLBACK_ALLOW_PRIVATE, callbackAllowPrivate);
        flags.put(Key.CALLBACK_MAX_ATTEMPTS, callbackMaxAttempts);
        flags.put(Key.CALLBACK_TIMEOUT_MS, callbackTimeoutMs);
        flags.put(Key.HEADER_TIMEOUT_MS, headerTimeoutMs);
        flags.put(Key.KEEP_ALIVE_TIMEOUT_MS, keepAliveTimeoutMs);
        flags.put(Key.BODY_TIMEOUT_MS, bodyTimeoutMs);
        flags.put(Key.MAX_CONNECTIONS, maxConnections);
        flags.put(Key.MAX_CONNECTIONS_PER_ADDRESS, maxConnectionsPerAddress);
        flags.put(Key.MAX_PENDING_BODY_BYTES, maxPendingBodyBytes);
        flags.put(Key.MAX_JSON_DEPTH, maxJsonDepth);
        Map<String, String> byEnv = new LinkedHashMap<>();
        flags.forEach((key, value) -> {
            if (value != null) {
                byEnv.put(key.env(), value);
            }
        });
        return byEnv;
    }
}
