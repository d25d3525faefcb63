package io.agentrelay.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

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
 * @param integrations  external systems that raise tasks, with their rate limit and callback settings
 * @param edge          what the HTTP edge allows clients: timeouts, connection caps, body and JSON limits
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
        int maxBodyBytes,
        Duration reapInterval,
        Duration sseHeartbeat,
        int streamQueueBytes,
        Integrations integrations,
        EdgeLimits edge) {

    /** Every setting, its environment variable, and its default. Flags use the same keys. */
    public enum Key {
        PORT("PORT", "4850"),
        HOST("HOST", "127.0.0.1"),
        TOKEN("AGENT_RELAY_TOKEN", ""),
        DB("AGENT_RELAY_DB", ""),
        DATABASE_URL("AGENT_RELAY_DATABASE_URL", ""),
        RETENTION_DAYS("RETENTION_DAYS", "30"),
        STALE_TTL_MS("STALE_TTL_MS", "60000"),
        OFFLINE_PRUNE_MS("OFFLINE_PRUNE_MS", "86400000"),
        CLAIM_TTL_MS("CLAIM_TTL_MS", "300000"),
        MAX_BODY_BYTES("MAX_BODY_BYTES", "1048576"),
        REAP_INTERVAL_MS("AGENT_RELAY_REAP_INTERVAL_MS", "15000"),
        SSE_HEARTBEAT_MS("AGENT_RELAY_SSE_HEARTBEAT_MS", "15000"),
        STREAM_QUEUE_BYTES("AGENT_RELAY_STREAM_QUEUE_BYTES", "1048576"),
        INTEGRATIONS("AGENT_RELAY_INTEGRATIONS", ""),
        INTEGRATION_RATE_LIMIT_PER_MINUTE("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "120"),
        CALLBACK_ALLOW_PRIVATE("AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "false"),
        CALLBACK_MAX_ATTEMPTS("AGENT_RELAY_CALLBACK_MAX_ATTEMPTS", "10"),
        CALLBACK_TIMEOUT_MS("AGENT_RELAY_CALLBACK_TIMEOUT_MS", "10000"),
        HEADER_TIMEOUT_MS("AGENT_RELAY_HEADER_TIMEOUT_MS", "10000"),
        KEEP_ALIVE_TIMEOUT_MS("AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS", "120000"),
        BODY_TIMEOUT_MS("AGENT_RELAY_BODY_TIMEOUT_MS", "30000"),
        MAX_CONNECTIONS("AGENT_RELAY_MAX_CONNECTIONS", "16384"),
        MAX_CONNECTIONS_PER_ADDRESS("AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "4096"),
        MAX_PENDING_BODY_BYTES("AGENT_RELAY_MAX_PENDING_BODY_BYTES", "67108864"),
        MAX_JSON_DEPTH("AGENT_RELAY_MAX_JSON_DEPTH", "32");

        private final String env;
        private final String fallback;

        Key(String env, String fallback) {
            this.env = env;
            this.fallback = fallback;
        }

        public String env() {
            return env;
        }

        public String fallback() {
            return fallback;
        }
    }

    /** Raised when a setting is invalid; the message says which and what to do. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Builds the configuration from {@code env} (usually {@code System.getenv()}) with
     * {@code overrides} (from flags, keyed by environment variable name) taking precedence.
     */
    public static RelayConfig from(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        overrides.forEach((k, v) -> {
            if (v != null) {
                merged.put(k, v);
            }
        });
        Function<Key, String> value = key -> {
            String v = merged.get(key.env());
            return v == null ? key.fallback() : v.trim();
        };
        String host = value.apply(Key.HOST);
        if (host.matches("[0-9.]+") && !isDottedQuad(host)) {
            // The JDK reads "127.1" or "2130706433" as 127.0.0.1, the listener does not: refuse such
            // forms here rather than pass the loopback check and then fail to bind.
            throw new Invalid("HOST=" + host + " is not an IPv4 address written in full: use four numbers "
                    + "0-255 without leading zeros, e.g. HOST=127.0.0.1");
        }
        int port = (int) integer(Key.PORT, value, 0, 65_535);
        String token = value.apply(Key.TOKEN);
        token = token.isEmpty() ? null : token;
        if (token == null && !isLoopback(host)) {
            throw new Invalid("HOST=" + host + " is not a loopback address and no AGENT_RELAY_TOKEN is set. "
                    + "Set AGENT_RELAY_TOKEN (or --token) to listen beyond this machine, or use HOST=127.0.0.1.");
        }
        String db = value.apply(Key.DB);
        Path database = db.isEmpty() ? Path.of(System.getProperty("user.home"), ".agent-relay", "relay.db") : Path.of(db);
        String url = value.apply(Key.DATABASE_URL);
        if (!url.isEmpty() && !db.isEmpty()) {
            throw new Invalid("both " + Key.DB.env() + " (a SQLite file) and " + Key.DATABASE_URL.env()
                    + " (a PostgreSQL database) are set; set one of them");
        }
        DatabaseUrl databaseUrl = url.isEmpty() ? null : DatabaseUrl.parse(url);
        int retention = (int) integer(Key.RETENTION_DAYS, value, 0, 36_500);
        Duration stale = millis(Key.STALE_TTL_MS, value, 1_000, Duration.ofDays(30).toMillis());
        Duration prune = millis(Key.OFFLINE_PRUNE_MS, value, 1_000, Duration.ofDays(3650).toMillis());
        Duration claim = millis(Key.CLAIM_TTL_MS, value, 1_000, Duration.ofDays(30).toMillis());
        int maxBody = (int) integer(Key.MAX_BODY_BYTES, value, 1_024, 64L * 1024 * 1024);
        Duration reap = millis(Key.REAP_INTERVAL_MS, value, 100, Duration.ofHours(1).toMillis());
        Duration heartbeat = millis(Key.SSE_HEARTBEAT_MS, value, 100, Duration.ofMinutes(10).toMillis());
        int queue = (int) integer(Key.STREAM_QUEUE_BYTES, value, 16 * 1024, 256L * 1024 * 1024);
        boolean allowPrivate = bool(Key.CALLBACK_ALLOW_PRIVATE, value);
        Integrations integrations = new Integrations(
                IntegrationsParser.parse(value.apply(Key.INTEGRATIONS), token, allowPrivate),
                (int) integer(Key.INTEGRATION_RATE_LIMIT_PER_MINUTE, value, 1, 1_000_000), allowPrivate,
                (int) integer(Key.CALLBACK_MAX_ATTEMPTS, value, 1, 50),
                millis(Key.CALLBACK_TIMEOUT_MS, value, 100, Duration.ofMinutes(10).toMillis()));
        return new RelayConfig(host, port, token, database, databaseUrl, retention, stale, stale.multipliedBy(2), prune, claim,
                maxBody, reap, heartbeat, queue, integrations, edgeLimits(value, maxBody));
    }

    private static EdgeLimits edgeLimits(Function<Key, String> value, int maxBody) {
        int connections = (int) integer(Key.MAX_CONNECTIONS, value, 1, 1_000_000);
        int perAddress = (int) integer(Key.MAX_CONNECTIONS_PER_ADDRESS, value, 1, 1_000_000);
        if (perAddress > connections) {
            throw new Invalid(Key.MAX_CONNECTIONS_PER_ADDRESS.env() + "=" + perAddress + " is more than "
                    + Key.MAX_CONNECTIONS.env() + "=" + connections + "; lower it or raise " + Key.MAX_CONNECTIONS.env());
        }
        long pending = integer(Key.MAX_PENDING_BODY_BYTES, value, 1_024, 16L * 1024 * 1024 * 1024);
        if (pending < maxBody) {
            throw new Invalid(Key.MAX_PENDING_BODY_BYTES.env() + "=" + pending + " is less than MAX_BODY_BYTES="
                    + maxBody + ", so the largest allowed body could never be received; raise it");
        }
        return new EdgeLimits(millis(Key.HEADER_TIMEOUT_MS, value, 100, Duration.ofMinutes(10).toMillis()),
                millis(Key.KEEP_ALIVE_TIMEOUT_MS, value, 100, Duration.ofHours(1).toMillis()),
                millis(Key.BODY_TIMEOUT_MS, value, 100, Duration.ofMinutes(10).toMillis()), connections, perAddress,
                pending, (int) integer(Key.MAX_JSON_DEPTH, value, 1, 200));
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

    private static long integer(Key key, Function<Key, String> value, long min, long max) {
        String raw = value.apply(key);
        long parsed;
        try {
            parsed = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new Invalid(key.env() + " must be a whole number between " + min + " and " + max + ", got '" + raw + "'");
        }
        if (parsed < min || parsed > max) {
            throw new Invalid(key.env() + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    private static boolean bool(Key key, Function<Key, String> value) {
        String raw = value.apply(key).toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new Invalid(key.env() + " must be true or false, got '" + raw + "'");
        };
    }

    private static Duration millis(Key key, Function<Key, String> value, long min, long max) {
        return Duration.ofMillis(integer(key, value, min, max));
    }

    /** The same configuration listening on another port (tests and benchmarks use port 0). */
    public RelayConfig withPort(int newPort) {
        return new RelayConfig(host, newPort, token, database, databaseUrl, retentionDays, staleAfter, offlineAfter, pruneAfter,
                claimTtl, maxBodyBytes, reapInterval, sseHeartbeat, streamQueueBytes, integrations, edge);
    }
}
