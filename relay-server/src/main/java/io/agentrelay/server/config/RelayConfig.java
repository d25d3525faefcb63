package io.agentrelay.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The relay's whole configuration: immutable, validated once at start-up. Built from environment
 * variables compatible with the TypeScript relay, each overridable by a {@code serve} flag of the
 * same meaning. A bad value stops start-up with a message naming the variable; nothing is silently
 * replaced.
 *
 * @param staleAfter    silence after which an agent is {@code stale} ({@code STALE_TTL_MS})
 * @param offlineAfter  silence after which an agent is {@code offline}: twice {@code staleAfter}
 * @param pruneAfter    silence after which an offline agent is deleted ({@code OFFLINE_PRUNE_MS})
 * @param database      the SQLite file, when {@code databaseUrl} is null
 * @param databaseUrl   a shared PostgreSQL database ({@code AGENT_RELAY_DATABASE_URL}), or null for SQLite
 * @param retentionDays messages and events older than this are deleted; 0 keeps everything
 * @param commandTtl    how long a command may stay pending before the reaper expires it
 * @param integrations  external systems that raise tasks, with their rate limit and callback settings
 * @param edge          what the HTTP edge allows clients: timeouts, connection caps, body and JSON limits
 * @param connectorsDir the folder of installed connector manifests ({@code AGENT_RELAY_CONNECTORS_DIR}), or
 *                      null: no connector is installed
 */
public record RelayConfig(
        String host,
        int port,
        String token,
        Path database,
        DatabaseUrl databaseUrl,
        int retentionDays,
        Duration staleAfter,
        Duration offlineAfter,
        Duration pruneAfter,
        Duration claimTtl,
        Duration commandTtl,
        int maxBodyBytes,
        Duration reapInterval,
        Duration sseHeartbeat,
        int streamQueueBytes,
        Integrations integrations,
        EdgeLimits edge,
        Path connectorsDir) {

    /** Raised when a setting is invalid; the message says which and what to do. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Builds the configuration from {@code env} (usually {@code System.getenv()}) with
     * {@code overrides} (from flags, keyed by environment variable name) taking precedence. Each
     * value is read as its {@link Setting} declares; the rules here are those between settings.
     */
    public static RelayConfig from(Map<String, String> env, Map<String, String> overrides) {
        SettingValues values = new SettingValues(env, overrides);
        String host = values.text(Setting.HOST);
        if (host.matches("[0-9.]+") && !isDottedQuad(host)) {
            // The JDK reads "127.1" or "2130706433" as 127.0.0.1, the listener does not: refuse such
            // forms here rather than pass the loopback check and then fail to bind.
            throw new Invalid("HOST=" + host + " is not an IPv4 address written in full: use four numbers "
                    + "0-255 without leading zeros, e.g. HOST=127.0.0.1");
        }
        int port = values.integer(Setting.PORT);
        String token = values.text(Setting.TOKEN);
        token = token.isEmpty() ? null : token;
        if (token == null && !isLoopback(host)) {
            throw new Invalid("HOST=" + host + " is not a loopback address and no AGENT_RELAY_TOKEN is set. "
                    + "Set AGENT_RELAY_TOKEN (or --token) to listen beyond this machine, or use HOST=127.0.0.1.");
        }
        String db = values.text(Setting.DB);
        Path database = db.isEmpty() ? Path.of(System.getProperty("user.home"), ".agent-relay", "relay.db") : Path.of(db);
        String url = values.text(Setting.DATABASE_URL);
        if (!url.isEmpty() && !db.isEmpty()) {
            throw new Invalid("both " + Setting.DB.env() + " (a SQLite file) and " + Setting.DATABASE_URL.env()
                    + " (a PostgreSQL database) are set; set one of them");
        }
        DatabaseUrl databaseUrl = url.isEmpty() ? null : DatabaseUrl.parse(url);
        // Read in the order of the table, so that of several bad values the first one is reported.
        int retention = values.integer(Setting.RETENTION_DAYS);
        Duration stale = values.millis(Setting.STALE_TTL_MS);
        Duration prune = values.millis(Setting.OFFLINE_PRUNE_MS);
        Duration claim = values.millis(Setting.CLAIM_TTL_MS);
        Duration commandTtl = values.millis(Setting.COMMAND_TTL_MS);
        int maxBody = values.integer(Setting.MAX_BODY_BYTES);
        Duration reap = values.millis(Setting.REAP_INTERVAL_MS);
        Duration heartbeat = values.millis(Setting.SSE_HEARTBEAT_MS);
        int queue = values.integer(Setting.STREAM_QUEUE_BYTES);
        boolean allowPrivate = values.bool(Setting.CALLBACK_ALLOW_PRIVATE);
        Integrations integrations = new Integrations(
                IntegrationsParser.parse(values.text(Setting.INTEGRATIONS), token, allowPrivate),
                values.integer(Setting.INTEGRATION_RATE_LIMIT_PER_MINUTE), allowPrivate,
                values.integer(Setting.CALLBACK_MAX_ATTEMPTS), values.millis(Setting.CALLBACK_TIMEOUT_MS));
        return new RelayConfig(host, port, token, database, databaseUrl, retention, stale, stale.multipliedBy(2), prune,
                claim, commandTtl, maxBody, reap, heartbeat, queue, integrations, edgeLimits(values, maxBody),
                connectorsDir(values.text(Setting.CONNECTORS_DIR)));
    }

    private static Path connectorsDir(String dir) {
        if (dir.isEmpty()) {
            return null;
        }
        Path path = Path.of(dir).toAbsolutePath().normalize();
        if (!java.nio.file.Files.isDirectory(path)) {
            throw new Invalid(Setting.CONNECTORS_DIR.env() + "=" + dir + " is not a folder; create it or unset "
                    + Setting.CONNECTORS_DIR.env());
        }
        return path;
    }

    private static EdgeLimits edgeLimits(SettingValues values, int maxBody) {
        int connections = values.integer(Setting.MAX_CONNECTIONS);
        int perAddress = values.integer(Setting.MAX_CONNECTIONS_PER_ADDRESS);
        if (perAddress > connections) {
            throw new Invalid(Setting.MAX_CONNECTIONS_PER_ADDRESS.env() + "=" + perAddress + " is more than "
                    + Setting.MAX_CONNECTIONS.env() + "=" + connections + "; lower it or raise "
                    + Setting.MAX_CONNECTIONS.env());
        }
        long pending = values.number(Setting.MAX_PENDING_BODY_BYTES);
        if (pending < maxBody) {
            throw new Invalid(Setting.MAX_PENDING_BODY_BYTES.env() + "=" + pending + " is less than "
                    + Setting.MAX_BODY_BYTES.env() + "=" + maxBody + ", so the largest allowed body could never be "
                    + "received; raise it");
        }
        return new EdgeLimits(values.millis(Setting.HEADER_TIMEOUT_MS), values.millis(Setting.KEEP_ALIVE_TIMEOUT_MS),
                values.millis(Setting.BODY_TIMEOUT_MS), connections, perAddress, pending,
                values.integer(Setting.MAX_JSON_DEPTH));
    }

    /** Whether {@code host} names only this machine. Resolves names, so "localhost" counts. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-f:]+")) {
            // Only literal addresses and "localhost" are accepted: a name could resolve anywhere.
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.startsWith("0"))
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The same configuration listening on another port (tests and benchmarks use port 0). */
    public RelayConfig withPort(int newPort) {
        return new RelayConfig(host, newPort, token, database, databaseUrl, retentionDays, staleAfter, offlineAfter, pruneAfter,
                claimTtl, commandTtl, maxBodyBytes, reapInterval, sseHeartbeat, streamQueueBytes, integrations, edge,
                connectorsDir);
    }
}
