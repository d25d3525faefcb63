package io.agentrelay.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.util.List;
import java.util.Map;

/** Reads and writes the JSON-text columns (tags, capabilities, meta, payload, event data, config values). */
final class JsonColumns {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    /**
     * Deepest stored object a read renders. The edge refuses request values nested deeper than
     * AGENT_RELAY_MAX_JSON_DEPTH (at most 200), but rows written before it existed may hold values
     * nested nearly 1,000 deep, which Jackson's writer refuses inside a reply: every list holding
     * one answered 500. Such a value is shown as a placeholder instead.
     */
    static final int MAX_READ_DEPTH = 256;
    static final Map<String, Object> TOO_DEEP = Map.of("_unreadable",
            "this value is nested deeper than " + MAX_READ_DEPTH + " levels; it was stored before the relay limited "
                    + "nesting (AGENT_RELAY_MAX_JSON_DEPTH) and is not shown");

    private JsonColumns() {
    }

    static String write(Object value) {
        // Most messages carry no meta or payload: skip the serializer for the empty cases.
        if (value instanceof java.util.Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        if (value instanceof java.util.List<?> list && list.isEmpty()) {
            return "[]";
        }
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("value cannot be stored as JSON", e);
        }
    }

    static List<String> strings(String json) {
        if (json == null || json.isEmpty() || json.equals("[]")) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON array is corrupt", e);
        }
    }

    /** A JSON array of records or enums ({@code type} as Jackson reads it), or empty. */
    static <T> List<T> list(String json, Class<T> type) {
        if (json == null || json.isEmpty() || json.equals("[]")) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(json,
                    Json.mapper().getTypeFactory().constructCollectionType(List.class, type));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON array is corrupt", e);
        }
    }

    /** A JSON object column that may be NULL (absent), unlike {@link #object}, which reads NULL as empty. */
    static Map<String, Object> nullableObject(String json) {
        return json == null ? null : object(json);
    }

    static Map<String, Object> object(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        // Nesting deeper than the bound needs two characters a level: short values are never too deep.
        if (json.length() > 2 * MAX_READ_DEPTH && depth(json) > MAX_READ_DEPTH) {
            return TOO_DEEP;
        }
        try {
            return Json.mapper().readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON object is corrupt", e);
        }
    }

    /** Any stored JSON value as a tree (a config value); null for SQL NULL. */
    static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON value is corrupt", e);
        }
    }

    /** The deepest nesting of objects and arrays in JSON text (brackets inside strings not counted). */
    static int depth(String json) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
