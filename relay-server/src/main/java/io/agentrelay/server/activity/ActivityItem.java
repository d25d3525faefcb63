package io.agentrelay.server.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.Json;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
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
            case ORCHESTRATOR_STATUS -> {
                boolean first = data.path("createdAt").asLong() == data.path("updatedAt").asLong();
                f.title = first ? "Orchestrator registered" : "Orchestrator " + data.path("status").asText("changed");
                int managed = data.path("agents").size();
                f.body = agentName(data.path("hostname").asText(null), text(data, "id")) + ", " + managed
                        + " managed agent(s)";
                f.icon = "ti-server-2";
                f.view = "orchestrators";
                f.agentId = text(data, "agentId");
                f.metadata = Map.of("orchestratorId", data.path("id").asText(), "providers", data.path("providers"));
            }
            case ORCHESTRATOR_REMOVED -> {
                f.title = "Orchestrator removed";
                f.body = text(data, "orchestratorId") + " (" + data.path("reason").asText("removed") + ")";
                f.icon = "ti-server-off";
                f.view = "orchestrators";
                f.metadata = Map.of("orchestratorId", data.path("orchestratorId").asText());
            }
            case COMMAND_CREATED, COMMAND_UPDATED -> command(f, event, data);
            case CHANNEL_BINDING_CHANGED, CHANNEL_BINDING_REMOVED -> {
                f.title = event.type() == EventType.CHANNEL_BINDING_CHANGED ? "Channel bound" : "Channel binding removed";
                ChannelBinding binding = Json.mapper().convertValue(data, ChannelBinding.class);
                f.body = "#" + binding.id() + " " + binding.channelId()
                        + (binding.conversationId() == null ? "" : " [" + binding.conversationId() + "]")
                        + " → " + binding.target().address() + " (" + binding.mode().wire() + ")";
                f.icon = "ti-link";
                f.view = "channels";
            }
            case CHANNEL_ACTIVITY -> {
                f.title = "Channel activity";
                f.body = text(data, "channelId") + ": " + data.path("payload").path("event").path("type").asText("activity")
                        + (data.path("conversationId").isTextual() ? " in " + text(data, "conversationId") : "");
                f.icon = "ti-activity";
                f.view = "channels";
            }
            case PAIR_CREATED, PAIR_UPDATED -> pair(f, data);
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

    /** A command made (the TypeScript server's "Agent <action> requested") or moved by its executor. */
    private static void command(Fields f, Event event, JsonNode command) {
        String type = command.path("type").asText("");
        String action = type.startsWith("agent.") ? type.substring("agent.".length()) : type;
        JsonNode params = command.path("params");
        f.kind = "state";
        f.view = "orchestrators";
        f.agentId = text(command, "target");
        f.metadata = Map.of("commandId", command.path("id").asLong(), "orchestratorId",
                params.path("orchestratorId").asText(""));
        if (event.type() == EventType.COMMAND_CREATED) {
            f.title = "Agent " + action + " requested";
            f.body = (action.equals("spawn")
                    ? params.path("provider").asText("") + " in " + params.path("cwd").asText("")
                    : params.hasNonNull("agentId") ? params.get("agentId").asText() : "all managed agents")
                    + " via " + f.agentId;
            f.icon = action.equals("spawn") ? "ti-rocket" : action.equals("restart") ? "ti-refresh" : "ti-power";
        } else {
            String status = command.path("status").asText("");
            f.title = "Command " + status;
            String detail = command.hasNonNull("error") ? command.get("error").asText()
                    : command.hasNonNull("progress") ? command.get("progress").asText() : null;
            f.body = "#" + command.path("id").asLong() + " " + type + " → " + f.agentId
                    + (detail == null ? "" : ": " + preview(detail));
            f.icon = "ti-terminal-2";
        }
    }

    /** A pair invited, accepted, rejected, ended or expired (ours: the TypeScript source shows no pair audit item). */
    private static void pair(Fields f, JsonNode pair) {
        String status = pair.path("status").asText("");
        f.kind = "state";
        f.title = switch (status) {
            case "pending" -> "Pair invited";
            case "active" -> "Pair accepted";
            default -> "Pair " + status;
        };
        String topic = text(pair, "topic");
        String reason = text(pair, "reason");
        f.body = "#" + pair.path("id").asLong() + " " + text(pair, "from") + " ↔ " + text(pair, "to")
                + (topic == null ? "" : ": " + preview(topic)) + (reason == null ? "" : " (" + preview(reason) + ")");
        f.icon = "ti-users";
        f.view = "pairs";
        f.agentId = status.equals("pending") || status.equals("expired") ? text(pair, "from")
                : firstText(pair, "closedBy", "to");
        f.metadata = Map.of("pairId", pair.path("id").asLong());
    }

    private static String preview(String text) {
        return text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text;
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
        return agentName(text(agent, "name"), text(agent, "id"));
    }

    private static String agentName(String name, String id) {
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
