package io.agentrelay.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agentrelay.api.Json;
import java.util.List;
import java.util.Map;

/** Reads and writes the JSON-text columns (tags, capabilities, meta, payload, event data). */
final class JsonColumns {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

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

    static Map<String, Object> object(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        try {
            return Json.mapper().readValue(json, OBJECT);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON object is corrupt", e);
        }
    }
}
