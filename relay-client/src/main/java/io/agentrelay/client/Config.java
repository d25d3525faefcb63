package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/config}: the relay's versioned config store — any JSON value under a namespace and a
 * key, shared by every agent. Each write, a deletion too, gives the key its next version (1 for its
 * first), is kept in the key's history and announced as a {@code config.changed} event to every
 * stream. Get it from {@link RelayClient#config()}. Every call is synchronous and thread-safe, and
 * throws {@link RelayException} when refused.
 *
 * <p>Namespaces and keys are 1 to 240 characters without whitespace, {@code /} or control
 * characters. A value is anything Jackson writes as JSON ({@code Map}, {@code List}, {@code String},
 * a number, a record, a {@code JsonNode}); {@code null} stores JSON {@code null}.
 *
 * <p>Compare-and-set: {@link #putIfVersion} and {@link #deleteIfVersion} write only while the key is
 * at the version you read; otherwise {@link RelayException.Conflict}, whose
 * {@link RelayException.Conflict#version()} is the key's version now (0: it has no entry).
 */
public final class Config {
    private final Transport transport;

    Config(Transport transport) {
        this.transport = transport;
    }

    /** The namespaces that hold keys, by name, each with its number of keys. */
    public List<ConfigNamespace> namespaces() {
        return list(transport.get("/api/config").body(), ConfigNamespace.class);
    }

    /** A namespace's entries, by key; empty for a namespace without keys. */
    public List<ConfigEntry> list(String namespace) {
        return list(transport.get(path(namespace)).body(), ConfigEntry.class);
    }

    /** One entry; {@link RelayException.NotFound} when the key was never written or is deleted. */
    public ConfigEntry get(String namespace, String key) {
        return transport.read(transport.get(path(namespace, key)).body(), ConfigEntry.class);
    }

    /** Writes {@code value}; the entry comes back with its new version. */
    public ConfigEntry put(String namespace, String key, Object value) {
        return put(namespace, key, value, null);
    }

    /** Writes {@code value} as {@code updatedBy} (at most 200 characters; null for nobody). */
    public ConfigEntry put(String namespace, String key, Object value, String updatedBy) {
        return write(namespace, key, value, updatedBy, null);
    }

    /**
     * Writes {@code value} only while the key is at {@code expectedVersion} (0: only while it has
     * no entry, to create it once); {@link RelayException.Conflict} otherwise.
     */
    public ConfigEntry putIfVersion(String namespace, String key, Object value, String updatedBy, long expectedVersion) {
        return write(namespace, key, value, updatedBy, expectedVersion);
    }

    /** Deletes the key (a versioned write, kept in its history); {@link RelayException.NotFound} when it has no entry. */
    public void delete(String namespace, String key) {
        delete(namespace, key, null);
    }

    public void delete(String namespace, String key, String updatedBy) {
        transport.delete(Transport.query(path(namespace, key), query(updatedBy, null)));
    }

    /** Deletes the key only while it is at {@code expectedVersion}; {@link RelayException.Conflict} otherwise. */
    public void deleteIfVersion(String namespace, String key, String updatedBy, long expectedVersion) {
        transport.delete(Transport.query(path(namespace, key), query(updatedBy, expectedVersion)));
    }

    /** The key's newest 50 versioned writes, newest first, deletions included. */
    public List<ConfigRevision> history(String namespace, String key) {
        return history(namespace, key, 0, 0);
    }

    /**
     * Up to {@code limit} (1..500; 0 for the relay's default of 50) of the key's versioned writes,
     * newest first, below {@code beforeVersion} (0: from the newest). A key never written has none.
     */
    public List<ConfigRevision> history(String namespace, String key, int limit, long beforeVersion) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit > 0 ? limit : null);
        query.put("before", beforeVersion > 0 ? beforeVersion : null);
        return list(transport.get(Transport.query(path(namespace, key) + "/history", query)).body(), ConfigRevision.class);
    }

    private ConfigEntry write(String namespace, String key, Object value, String updatedBy, Long ifVersion) {
        // Not Transport.body: that drops nulls, and a null value is a value here.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (updatedBy != null) {
            body.put("updatedBy", updatedBy);
        }
        if (ifVersion != null) {
            body.put("ifVersion", ifVersion);
        }
        return transport.read(transport.put(path(namespace, key), body).body(), ConfigEntry.class);
    }

    private static Map<String, Object> query(String updatedBy, Long ifVersion) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("updatedBy", updatedBy);
        query.put("ifVersion", ifVersion);
        return query;
    }

    private <T> List<T> list(JsonNode array, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(transport.read(item, type));
        }
        return out;
    }

    private static String path(String namespace) {
        return "/api/config/" + Transport.segment(Objects.requireNonNull(namespace, "namespace"));
    }

    private static String path(String namespace, String key) {
        return path(namespace) + "/" + Transport.segment(Objects.requireNonNull(key, "key"));
    }
}
