package io.agentrelay.server.config;

/**
 * Every setting of the relay, each defined once: its environment variable, its {@code serve} flag,
 * its type and bounds, its default, a one-line help text for {@code serve --help} and the meaning
 * shown in the table of docs/configuration.md. {@code serve} builds its options from this list and
 * a test keeps the documentation's table equal to it, so a new setting is one constant here plus
 * the line of {@link RelayConfig#from} that reads it.
 *
 * <p>Cross-setting rules (a token for a non-loopback host, per-address connections at most all
 * connections, ...) stay in {@link RelayConfig}: they are about several settings at once.
 */
// Type is a record of two longs and an enum: immutable, though not annotated as such (Error Prone
// wants its own @Immutable, which is not a dependency here).
@SuppressWarnings("ImmutableEnumChecker")
public enum Setting {
    PORT("PORT", "--port", Type.number(0, 65_535), "4850",
            "Port to listen on; 0 picks a free one.",
            "TCP port; `0` picks a free one (the chosen URL is printed)"),
    HOST("HOST", "--host", Type.text(), "127.0.0.1",
            "Address to bind. A non-loopback address requires a token.",
            "bind address; see *Loopback rule*"),
    TOKEN("AGENT_RELAY_TOKEN", "--token", Type.text(), "",
            "Shared secret every /api call must present (prefer the variable: flags are visible in the process list).",
            "shared secret for every `/api` call except `/api/health`"),
    DB("AGENT_RELAY_DB", "--db", Type.text(), "", "~/.agent-relay/relay.db",
            "SQLite file.",
            "SQLite file (created with its folder). One relay per file: it locks `<file>.lock` while it runs, and a "
                    + "second relay on the same file refuses to start, naming the first one's process"),
    DATABASE_URL("AGENT_RELAY_DATABASE_URL", "--database-url", Type.text(), "",
            "A PostgreSQL database (postgresql://user:password@host:5432/db or jdbc:postgresql://...) shared by "
                    + "several relay nodes, instead of --db.",
            "a PostgreSQL database shared by several relay nodes instead of the SQLite file: "
                    + "`postgresql://user:password@host:5432/db`, `postgres://…` or `jdbc:postgresql://…` (its "
                    + "parameters go to the driver). Setting it together with `AGENT_RELAY_DB` is refused. See "
                    + "[deployment.md](deployment.md#a-cluster-several-relay-nodes-on-one-postgresql)"),
    RETENTION_DAYS("RETENTION_DAYS", "--retention-days", Type.number(0, 36_500), "30",
            "Delete messages and events older than this; 0 keeps all.",
            "messages and events older than this are deleted, oldest id first, by the reaper; `0` keeps all. "
                    + "Pruning stops at the first row (by id) that is not yet old, so a row written while the system "
                    + "clock stood further back waits for the younger rows before it"),
    STALE_TTL_MS("STALE_TTL_MS", "--stale-ttl-ms", Type.millis(1_000, days(30)), "60000",
            "Silence before an agent is stale (offline at twice this); an orchestrator is offline after this.",
            "silence before an agent becomes `stale`; at twice this it becomes `offline`. An orchestrator silent this "
                    + "long becomes `offline`"),
    OFFLINE_PRUNE_MS("OFFLINE_PRUNE_MS", "--offline-prune-ms", Type.millis(1_000, days(3650)), "86400000",
            "Silence before an offline agent is deleted.",
            "silence after which an `offline` agent is deleted"),
    CLAIM_TTL_MS("CLAIM_TTL_MS", "--claim-ttl-ms", Type.millis(1_000, days(30)), "300000",
            "How long a claim lasts.",
            "how long a claim lasts before the message is claimable again"),
    COMMAND_TTL_MS("AGENT_RELAY_COMMAND_TTL_MS", "--command-ttl-ms", Type.millis(1_000, days(7)), "600000",
            "How long a command may wait for its executor to accept it.",
            "how long a command (an orchestrator's spawn, restart or shutdown) may stay `pending`; the reaper "
                    + "then marks it `expired`. Accepted commands do not expire"),
    MAX_BODY_BYTES("MAX_BODY_BYTES", "--max-body-bytes", Type.bytes(1_024, 64L << 20), "1048576",
            "Largest request body accepted (413 beyond).",
            "largest request body; larger → 413"),
    REAP_INTERVAL_MS("AGENT_RELAY_REAP_INTERVAL_MS", "--reap-interval-ms", Type.millis(100, minutes(60)), "15000",
            "How often the reaper runs.",
            "how often the reaper runs"),
    SSE_HEARTBEAT_MS("AGENT_RELAY_SSE_HEARTBEAT_MS", "--sse-heartbeat-ms", Type.millis(100, minutes(10)), "15000",
            "Interval of SSE keep-alive comments.",
            "interval of `: keep-alive` comments on SSE streams"),
    STREAM_QUEUE_BYTES("AGENT_RELAY_STREAM_QUEUE_BYTES", "--stream-queue-bytes", Type.bytes(16 << 10, 256L << 20),
            "1048576",
            "Outbound queue of one stream before it is cut as too slow.",
            "a stream whose unsent output exceeds this is cut as too slow"),
    INTEGRATIONS("AGENT_RELAY_INTEGRATIONS", "--integrations", Type.text(), "",
            "Integrations allowed to raise tasks: a JSON array or the path of a file holding one.",
            "integrations allowed to raise tasks: a JSON array, or the path of a file holding one; see "
                    + "[integrations.md](integrations.md)"),
    CONNECTORS_DIR("AGENT_RELAY_CONNECTORS_DIR", "--connectors-dir", Type.text(), "",
            "Folder of installed connector manifests (<id>.json); unset: no connector can run an action.",
            "folder of the connector manifests the administrator installed (`<id>.json`, each naming the programs "
                    + "its actions run); read when needed, so a manifest added later needs no restart. Unset: no "
                    + "connector is installed and no action runs. The API can register connectors' descriptions, "
                    + "never programs; see [connectors.md](connectors.md)"),
    INTEGRATION_RATE_LIMIT_PER_MINUTE("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE",
            "--integration-rate-limit-per-minute", Type.number(1, 1_000_000), "120",
            "Events one integration may post per minute.",
            "events one integration may post per minute (token bucket: that burst, refilled continuously); beyond "
                    + "it 429 with `Retry-After`"),
    CALLBACK_ALLOW_PRIVATE("AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "--callback-allow-private", Type.bool(), "false",
            "Allow task callbacks to loopback and private addresses.",
            "allow task callbacks to loopback, private, link-local and other internal addresses; IPv6 addresses "
                    + "that carry an IPv4 one (`[::127.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`, 6to4, Teredo) count as "
                    + "that IPv4 address"),
    CALLBACK_MAX_ATTEMPTS("AGENT_RELAY_CALLBACK_MAX_ATTEMPTS", "--callback-max-attempts", Type.number(1, 50), "10",
            "Attempts per task callback before it is marked failed.",
            "attempts per task callback before it is marked `failed`; backoff 1 s doubling to 15 min, with jitter"),
    CALLBACK_TIMEOUT_MS("AGENT_RELAY_CALLBACK_TIMEOUT_MS", "--callback-timeout-ms", Type.millis(100, minutes(10)),
            "10000",
            "How long one task callback attempt may take in all, the answer's body included.",
            "how long one callback attempt may take in all: connecting, sending, the answer's headers and its body"),
    HEADER_TIMEOUT_MS("AGENT_RELAY_HEADER_TIMEOUT_MS", "--header-timeout-ms", Type.millis(100, minutes(10)), "10000",
            "A request's line and headers must arrive within this; else the connection is closed.",
            "a new connection's first request line and headers must be complete within this; else the connection "
                    + "is closed"),
    KEEP_ALIVE_TIMEOUT_MS("AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS", "--keep-alive-timeout-ms", Type.millis(100, minutes(60)),
            "120000",
            "A connection idle after a response is closed after this.",
            "a kept-alive connection idle after a response is closed after this. Keep it above your clients' "
                    + "idle-connection timeouts (JDK 30 s, Vert.x 60 s, Go 90 s): a client that sends on a "
                    + "connection the relay has just closed gets an error, and the JDK client does not retry a POST"),
    BODY_TIMEOUT_MS("AGENT_RELAY_BODY_TIMEOUT_MS", "--body-timeout-ms", Type.millis(100, minutes(10)), "30000",
            "A request body that sends no byte for this long is cut.",
            "a request body that sends no byte for this long is answered 408 and its connection closed"),
    MAX_CONNECTIONS("AGENT_RELAY_MAX_CONNECTIONS", "--max-connections", Type.number(1, 1_000_000), "16384",
            "Open connections in all.",
            "open connections in all (streams included); one more is closed as soon as it is accepted. Keep it "
                    + "below the process's file-descriptor limit (`ulimit -n`)"),
    MAX_CONNECTIONS_PER_ADDRESS("AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "--max-connections-per-address",
            Type.number(1, 1_000_000), "4096",
            "Open connections from one source address.",
            "open connections from one source address (at most `AGENT_RELAY_MAX_CONNECTIONS`). Behind a proxy "
                    + "every client has the proxy's address: raise it there"),
    MAX_PENDING_BODY_BYTES("AGENT_RELAY_MAX_PENDING_BODY_BYTES", "--max-pending-body-bytes",
            Type.bytes(1_024, 16L << 30), "67108864",
            "Request bodies being received, all together (503 beyond).",
            "request bodies being received, all together (each counts its `Content-Length`, a chunked one "
                    + "`MAX_BODY_BYTES`); a body beyond it is answered 503 with `Retry-After: 1`; at least "
                    + "`MAX_BODY_BYTES`"),
    MAX_JSON_DEPTH("AGENT_RELAY_MAX_JSON_DEPTH", "--max-json-depth", Type.number(1, 200), "32",
            "Deepest nesting of a JSON value in a request body.",
            "deepest nesting of a JSON value in a request body (`{\"a\":{}}` as `meta` is depth 2); deeper → 400 "
                    + "naming the field");

    private final String env;
    private final String flag;
    private final Type type;
    private final String fallback;
    private final String shownDefault;
    private final String help;
    private final String meaning;

    Setting(String env, String flag, Type type, String fallback, String help, String meaning) {
        this(env, flag, type, fallback, fallback.isEmpty() ? "none" : fallback, help, meaning);
    }

    Setting(String env, String flag, Type type, String fallback, String shownDefault, String help, String meaning) {
        this.env = env;
        this.flag = flag;
        this.type = type;
        this.fallback = fallback;
        this.shownDefault = shownDefault;
        this.help = help;
        this.meaning = meaning;
    }

    /** The environment variable, also the key of a flag's value in {@link RelayConfig#from}. */
    public String env() {
        return env;
    }

    /** The {@code serve} option, e.g. {@code --port}. */
    public String flag() {
        return flag;
    }

    public Type type() {
        return type;
    }

    /** The raw value used when neither the variable nor the flag is given; empty when there is none. */
    public String fallback() {
        return fallback;
    }

    /** The default as a person reads it ({@code none}, or where the default comes from). */
    public String shownDefault() {
        return shownDefault;
    }

    /** One line of plain text for {@code serve --help}. */
    public String help() {
        return help;
    }

    /** The meaning column of docs/configuration.md (Markdown). */
    public String meaning() {
        return meaning;
    }

    /** The option's whole help text: {@link #help()}, then where else it can be set, its default and range. */
    public String helpLine() {
        // A StringBuilder, not +: serve builds these at every start, and each new shape of + costs a
        // cold JVM a generated class.
        StringBuilder line = new StringBuilder(help).append(" Env ").append(env).append(" (default ").append(shownDefault);
        String allowed = type.allowed();
        if (!allowed.isEmpty()) {
            line.append("; ").append(allowed);
        }
        return line.append(").").toString();
    }

    private static long minutes(long minutes) {
        return minutes * 60_000;
    }

    private static long days(long days) {
        return days * 24 * minutes(60);
    }

    /**
     * What a setting's raw value must look like. Numbers are whole numbers within {@code min} and
     * {@code max} (both allowed); {@code unit} only changes how the bounds are shown to people.
     */
    public record Type(Kind kind, long min, long max) {
        public enum Kind { TEXT, BOOLEAN, NUMBER, BYTES, MILLIS }

        static Type text() {
            return new Type(Kind.TEXT, 0, 0);
        }

        static Type bool() {
            return new Type(Kind.BOOLEAN, 0, 0);
        }

        static Type number(long min, long max) {
            return new Type(Kind.NUMBER, min, max);
        }

        static Type bytes(long min, long max) {
            return new Type(Kind.BYTES, min, max);
        }

        static Type millis(long min, long max) {
            return new Type(Kind.MILLIS, min, max);
        }

        /** The allowed values in words ({@code 100-600000 ms}), or empty for free text. */
        public String allowed() {
            return switch (kind) {
                case TEXT -> "";
                case BOOLEAN -> "true or false";
                case NUMBER -> range("");
                case BYTES -> range(" bytes");
                case MILLIS -> range(" ms");
            };
        }

        // A StringBuilder, not +: each new shape of string concatenation bootstraps a method handle
        // on first use, which a cold start (serve's help) pays for.
        @SuppressWarnings("UnnecessaryStringBuilder")
        private String range(String unit) {
            return new StringBuilder().append(min).append('-').append(max).append(unit).toString();
        }
    }
}
