package io.agentrelay.server.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.model.Event;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the activity feed as the TypeScript dashboard reads it — {@code clientId, kind,
 * title, body, meta, icon, view, messageId, agentId, metadata, createdAt} — next to the event it
 * comes from ({@code id, type, ts, source, subject, scope, data}, unchanged, so older readers keep working).
 *
 * <p>The feed is a view over the event log: the TypeScript server writes an audit item beside a
 * registration or a sent message, this relay derives the item from the event that change already
 * appended (no second write on the send path). Items reported with {@code POST /api/activity}, and
 * the reaper's run summaries, are {@code activity.reported} events whose data holds the item.
 */
public final class ActivityItem {
    private static final int PREVIEW = 200;

    private ActivityItem() {
    }

    public static Map<String, Object> of(Event event) {
        JsonNode data = parse(event);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", event.id());
        item.put("type", event.type());
        item.put("ts", event.ts());
        item.put("source", event.source());
        item.put("subject", event.subject());
        item.put("scope", event.scope());
        item.put("data", data);
        Fields fields = fields(event, data);
        item.put("clientId", fields.clientId != null ? fields.clientId : "server-" + event.type().wire() + "-" + event.id());
        item.put("kind", fields.kind);
        item.put("title", fields.title);
        item.put("body", fields.body);
        item.put("meta", fields.meta);
        item.put("icon", fields.icon);
        item.put("view", fields.view);
        item.put("messageId", fields.messageId);
        item.put("agentId", fields.agentId != null ? fields.agentId : event.scope().agentId());
        item.put("metadata", fields.metadata);
        item.put("createdAt", event.ts());
        return item;
    }

    /** The TypeScript fields of one item. */
    private static final class Fields {
        String clientId;
        String kind = "state";
        String title;
        String body;
        Object meta;
        String icon;
        String view = "activity";
        Long messageId;
        String agentId;
        Object metadata = Map.of();
    }

    private static Fields fields(Event event, JsonNode data) {
        Fields f = new Fields();
        switch (event.type()) {
            case AGENT_REGISTERED -> {
                boolean first = data.path("createdAt").asLong() == data.path("updatedAt").asLong();
                f.title = first ? "Agent registered" : "Agent registered again";
                f.body = agentName(data);
                f.meta = data.path("kind").asText(null);
                f.icon = "ti-plug-connected";
                f.view = "agents";
                f.agentId = text(data, "id");
            }
            case AGENT_STATUS -> {
                f.title = "Agent " + data.path("status").asText("changed");
                f.body = agentName(data);
                f.icon = "ti-activity";
                f.view = "agents";
                f.agentId = text(data, "id");
            }
            case AGENT_REMOVED -> {
                f.title = "Agent removed";
                f.body = text(data, "agentId") + " (" + data.path("reason").asText("removed") + ")";
                f.icon = "ti-user-minus";
                f.view = "agents";
            }
            case MESSAGE_NEW -> message(f, data);
            case MESSAGE_READ -> {
                JsonNode ids = data.path("messageIds");
                messageChange(f, data, ids.size() == 1 ? "Message read" : ids.size() + " messages read", "ti-eye");
                f.messageId = ids.size() == 1 ? ids.get(0).asLong() : null;
                f.body = text(data, "agentId") + " read " + ids;
            }
            case MESSAGE_CLAIMED -> messageChange(f, data, "Message claimed", "ti-hand-grab");
            case MESSAGE_CLAIM_RELEASED -> messageChange(f, data, "Message claim released", "ti-hand-off");
            case MESSAGE_DELETED -> messageChange(f, data, "Message deleted", "ti-trash");
            case TASK_CREATED, TASK_UPDATED -> {
                JsonNode task = data.path("task");
                f.kind = "task";
                f.title = event.type().wire().equals("task.created") ? "Task created"
                        : "Task " + data.path("change").asText("updated") + ": " + task.path("status").asText("");
                f.body = text(task, "title");
                f.meta = text(task, "target");
                f.icon = "ti-checklist";
                f.messageId = task.hasNonNull("messageId") ? task.get("messageId").asLong() : null;
                f.agentId = text(data, "agentId");
                f.metadata = Map.of("taskId", task.path("id").asLong());
            }
            case ACTIVITY_REPORTED -> {
                f.clientId = text(data, "clientId");
                f.kind = data.path("kind").asText("state");
                f.title = firstText(data, "title", "type");
                f.body = firstText(data, "body", "summary");
                f.meta = data.has("meta") && !data.get("meta").isNull() ? data.get("meta") : null;
                f.icon = text(data, "icon");
                f.view = data.path("view").asText("activity");
                f.messageId = data.hasNonNull("messageId") ? data.get("messageId").asLong() : null;
                f.agentId = text(data, "agentId");
                JsonNode metadata = data.hasNonNull("metadata") ? data.get("metadata") : data.get("data");
                f.metadata = metadata == null || metadata.isNull() ? Map.of() : metadata;
            }
            case CONFIG_CHANGED -> {
                f.title = "Config changed";
                f.body = text(data, "namespace") + ":" + text(data, "key") + " is at version " + data.path("version").asLong();
                f.icon = "ti-settings";
                f.view = "config";
                f.metadata = data;
            }
            default -> f.title = event.type().wire();
        }
        return f;
    }

    private static void message(Fields f, JsonNode message) {
        String kind = message.path("kind").asText("chat");
        f.kind = kind.equals("task") ? "task" : "message";
        f.title = switch (kind) {
            case "task" -> "Task message sent";
            case "control" -> "Agent " + message.path("payload").path("agentControl").path("action").asText("control")
                    + " requested";
            default -> "Message sent";
        };
        String subject = text(message, "subject");
        String text = subject != null ? subject : message.path("body").asText("");
        f.body = text(message, "from") + " → " + text(message, "to") + ": "
                + (text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text);
        f.meta = kind;
        f.icon = kind.equals("task") ? "ti-checklist" : kind.equals("control") ? "ti-power" : "ti-message";
        f.view = "messages";
        f.messageId = message.path("id").asLong();
        f.agentId = text(message, "from");
    }

    private static void messageChange(Fields f, JsonNode data, String title, String icon) {
        f.kind = "message";
        f.title = title;
        f.icon = icon;
        f.view = "messages";
        JsonNode id = data.hasNonNull("messageId") ? data.get("messageId") : data.get("id");
        f.messageId = id == null ? null : id.asLong();
        f.body = "message " + f.messageId;
        f.agentId = text(data, "claimedBy");
    }

    private static String agentName(JsonNode agent) {
        String id = text(agent, "id");
        String name = text(agent, "name");
        return name == null || name.equals(id) ? id : name + " (" + id + ")";
    }

    private static String firstText(JsonNode node, String field, String fallback) {
        String value = text(node, field);
        return value != null ? value : text(node, fallback);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static JsonNode parse(Event event) {
        try {
            return event.data() == null ? MissingNode.getInstance() : Json.mapper().readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " holds data that is not JSON", e);
        }
    }
}
