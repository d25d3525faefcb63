package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Target;
import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.events.OpenStream;
import io.agentrelay.server.model.EventType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The client's first WebSocket frame: {@code {"type":"hello","after_event_id":N,"subscriptions":{...}}}.
 * {@code after_event_id} absent means "from now on". {@code subscriptions} absent means every
 * event; present, each non-empty list filters and with no non-empty list it means nothing at all.
 * {@code channels} and {@code topics} combine with OR, as in agentlip (an event of a subscribed
 * channel or of a subscribed topic); {@code agents} and {@code types} narrow that with AND. Any
 * other key is refused: a typo must not become a silently empty stream.
 */
record WsHello(Long afterEventId, boolean everything, List<String> agents, Set<String> channels,
               Set<String> topics, Set<EventType> types) {

    static final int MAX_ENTRIES = 1000;
    static final Set<String> KEYS = Set.of("agents", "channels", "topics", "types");

    /** The stream this hello asks for. */
    OpenStream command() {
        return new OpenStream(afterEventId, everything, agents, channels, topics, types, false);
    }

    /** Parses a first frame; a frame that is not a valid hello is refused with a short reason (close 1003). */
    static WsHello parse(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (Exception e) {
            throw invalid("invalid JSON");
        }
        if (node == null || !node.isObject()) {
            throw invalid("frame must be a JSON object");
        }
        if (!"hello".equals(node.path("type").asText(null))) {
            throw invalid("first frame must be hello");
        }
        Long after = null;
        JsonNode afterNode = node.get("after_event_id");
        if (afterNode != null && !afterNode.isNull()) {
            if (!afterNode.isIntegralNumber() || !afterNode.canConvertToLong() || afterNode.longValue() < 0) {
                throw invalid("after_event_id must be a whole number >= 0");
            }
            after = afterNode.longValue();
        }
        JsonNode subscriptions = node.get("subscriptions");
        if (subscriptions == null || subscriptions.isNull()) {
            return new WsHello(after, true, List.of(), Set.of(), Set.of(), Set.of());
        }
        if (!subscriptions.isObject()) {
            throw invalid("subscriptions must be an object");
        }
        for (var names = subscriptions.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!KEYS.contains(key)) {
                throw invalid("subscriptions: unknown key " + abbreviate(key) + " (agents|channels|topics|types)");
            }
        }
        List<String> agents = new ArrayList<>();
        for (String id : strings(subscriptions, "agents")) {
            try {
                if (!(Target.parse(id) instanceof Target.Agent)) {
                    throw invalid("subscriptions.agents must hold agent ids");
                }
            } catch (IllegalArgumentException e) {
                throw invalid("subscriptions.agents: " + e.getMessage());
            }
            agents.add(id);
        }
        Set<String> channels = new LinkedHashSet<>(strings(subscriptions, "channels"));
        Set<String> topics = new LinkedHashSet<>(strings(subscriptions, "topics"));
        Set<EventType> types = new LinkedHashSet<>();
        for (String name : strings(subscriptions, "types")) {
            EventType type = Wire.find(EventType.class, name);
            if (type == null) {
                throw invalid("subscriptions.types: unknown type " + abbreviate(name));
            }
            types.add(type);
        }
        return new WsHello(after, false, List.copyOf(new LinkedHashSet<>(agents)), channels, topics, types);
    }

    private static List<String> strings(JsonNode subscriptions, String field) {
        JsonNode value = subscriptions.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > MAX_ENTRIES) {
            throw invalid("subscriptions." + field + " must be an array of at most " + MAX_ENTRIES + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            // Topic ids are message (thread) ids here: a client may send them as numbers.
            if (field.equals("topics") && item.isIntegralNumber() && item.canConvertToLong()) {
                out.add(Long.toString(item.longValue()));
                continue;
            }
            if (!item.isTextual() || item.textValue().isEmpty()) {
                throw invalid("subscriptions." + field + " must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** Why a frame is not a valid hello; the message becomes the close reason (kept short). */
    private static RelayError.InvalidInput invalid(String reason) {
        return new RelayError.InvalidInput(null, reason);
    }
}
