package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Connector;
import io.agentrelay.api.ConnectorActionResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/connectors}: bridge programs on the relay's host. The relay's administrator installs
 * what runs (manifest files in {@code AGENT_RELAY_CONNECTORS_DIR}); through the API you register a
 * connector's description, run an installed connector's actions and keep its config. Get it from
 * {@link RelayClient#connectors()}. Every call is synchronous and thread-safe, and throws
 * {@link RelayException} when refused.
 */
public final class Connectors {
    /** The actions a manifest may define. */
    public static final List<String> ACTIONS = List.of("install", "uninstall", "enable", "disable", "start", "stop",
            "restart", "status", "doctor");

    /** How long {@link #action} waits for the relay: the longest deadline an action can have, and some. */
    static final java.time.Duration ACTION_WAIT = java.time.Duration.ofSeconds(330);

    private final Transport transport;

    Connectors(Transport transport) {
        this.transport = transport;
    }

    /** Every installed and registered connector, by id. */
    public List<Connector> list() {
        List<Connector> out = new ArrayList<>();
        for (JsonNode item : transport.get("/api/connectors").body()) {
            out.add(transport.read(item, Connector.class));
        }
        return out;
    }

    /** One connector; {@link RelayException.NotFound} when it is neither installed nor registered. */
    public Connector get(String id) {
        return transport.read(transport.get(path(id)).body(), Connector.class);
    }

    /**
     * Registers (or re-registers) a connector's description: {@code name}, {@code description},
     * {@code version}, {@code channelType} may be null. A description cannot say what runs.
     */
    public Connector register(String id, String name, String description, String version, String channelType) {
        return register(id, name, description, version, channelType, null);
    }

    /** As {@link #register(String, String, String, String, String)}, also replacing its config when not null. */
    public Connector register(String id, String name, String description, String version, String channelType,
                              Map<String, ?> config) {
        Map<String, Object> manifest = Transport.body("id", Objects.requireNonNull(id, "id"), "name", name,
                "description", description, "version", version, "channelType", channelType);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("manifest", manifest);
        if (config != null) {
            body.put("config", config);
        }
        return transport.read(transport.post("/api/connectors", body).body(), Connector.class);
    }

    /**
     * Runs one of the connector's installed actions ({@link #ACTIONS}) and waits for it (up to 330 s,
     * past the longest deadline a manifest can give, whatever the client's request timeout). A failed
     * run — a non-zero exit, a timeout, not installed, no such action — is a result with
     * {@code ok() == false}, not an exception (the relay answers it 502); refusals (400, 404, 409)
     * throw.
     */
    public ConnectorActionResult action(String id, String action) {
        try {
            // The relay answers when the program ends: up to its manifest's deadline (at most 300 s).
            return transport.read(transport.send("POST", path(id) + "/actions", Transport.body("action", action),
                    ACTION_WAIT).body(), ConnectorActionResult.class);
        } catch (RelayException e) {
            if (e.status() == 502 && e.body() != null && e.body().has("ok")) {
                return transport.read(e.body(), ConnectorActionResult.class);
            }
            throw e;
        }
    }

    /** Its stored config, with secret-looking values shown as {@code "********"}. */
    public JsonNode config(String id) {
        return transport.get(path(id) + "/config").body();
    }

    /** Replaces its stored config; answers it masked. */
    public JsonNode putConfig(String id, Map<String, ?> config) {
        return transport.put(path(id) + "/config", Objects.requireNonNull(config, "config")).body();
    }

    private static String path(String id) {
        return "/api/connectors/" + Transport.segment(Objects.requireNonNull(id, "id"));
    }
}
