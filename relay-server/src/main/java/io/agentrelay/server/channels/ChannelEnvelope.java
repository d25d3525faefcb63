package io.agentrelay.server.channels;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.api.Json;
import io.agentrelay.server.errors.RelayError;
import java.util.Map;
import java.util.Set;

/**
 * A channel event or activity checked against the {@code agent-relay.channel.v1} schema, with the
 * TypeScript server's texts and limits (REFERENCE §2.6). The envelope is the request's
 * {@code payload} when that is an object, else the request body itself; it must name the channel it
 * is posted to ({@code channel.provider} = the channel's type, {@code accountId}, {@code agentId}).
 *
 * <p>{@code body}: the request's {@code body}, else {@code payload.message.text}, else
 * {@code "Channel event"}. {@code conversationId}: the request's, else {@code payload.conversation.id}.
 * {@code idempotencyKey}: the request's, else {@code payload.dedupe.key}.
 */
public record ChannelEnvelope(Map<String, Object> payload, String eventType, String direction, String conversationId,
                              String body, String idempotencyKey, boolean hasActivity) {
    public static final String SCHEMA = "agent-relay.channel.v1";
    public static final String DEFAULT_BODY = "Channel event";
    /** Event types that are activity, never stored: they go to {@code /activities}. */
    public static final Set<String> EPHEMERAL = Set.of("typing.started", "typing.stopped", "message.read",
            "message.delivered", "presence.updated");
    /** Ours: the TypeScript server does not bound the list. */
    public static final int MAX_ATTACHMENTS = 100;
    private static final Set<String> REF_TYPES = Set.of("relay-blob", "external-url", "channel-file");
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    /** Checks {@code request} (a JSON object) as an envelope posted to {@code channel}. */
    public static ChannelEnvelope parse(JsonNode request, ChannelSummary channel) {
        JsonNode nested = request.get("payload");
        JsonNode payload = nested != null && nested.isObject() ? nested : request;

        String schema = ChannelText.required(payload, "schema", "payload.schema", 80);
        if (!SCHEMA.equals(schema)) {
            throw RelayError.InvalidInput.worded("payload.schema", "payload.schema must be " + SCHEMA);
        }
        JsonNode identity = object(payload, "channel");
        String provider = ChannelText.required(identity, "provider", "payload.channel.provider", 80);
        String accountId = ChannelText.required(identity, "accountId", "payload.channel.accountId", 200);
        String agentId = ChannelText.required(identity, "agentId", "payload.channel.agentId", 200);
        if (!provider.equals(channel.type()) || !accountId.equals(channel.accountId())
                || !agentId.equals(channel.agentId())) {
            throw RelayError.InvalidInput.worded("payload.channel", "payload.channel does not match channel identity");
        }
        String direction = ChannelText.required(payload, "direction", "payload.direction", 20);
        if (!direction.equals("inbound") && !direction.equals("outbound")) {
            throw RelayError.InvalidInput.worded("payload.direction", "payload.direction must be inbound or outbound");
        }
        JsonNode conversation = object(payload, "conversation");
        String conversationId = ChannelText.required(conversation, "id", "payload.conversation.id", 300);
        ChannelText.required(conversation, "type", "payload.conversation.type", 80);
        JsonNode actor = object(payload, "actor");
        ChannelText.required(actor, "id", "payload.actor.id", 240);
        ChannelText.required(actor, "kind", "payload.actor.kind", 80);
        String eventType = ChannelText.required(object(payload, "event"), "type", "payload.event.type", 80);
        attachments(payload.get("attachments"));

        JsonNode message = payload.get("message");
        boolean hasActivity = isObject(payload.get("activity"));
        if (!isObject(message) && !(payload.get("attachments") != null && payload.get("attachments").isArray())
                && !isObject(payload.get("reaction")) && !isObject(payload.get("interaction")) && !hasActivity) {
            throw RelayError.InvalidInput.worded("payload",
                    "channel payload must include message, attachments, reaction, interaction, or activity");
        }

        String body = ChannelText.optional(request, "body", "body", Integer.MAX_VALUE);
        if (body == null && isObject(message)) {
            body = ChannelText.optional(message, "text", "payload.message.text", Integer.MAX_VALUE);
        }
        String requestConversation = ChannelText.optional(request, "conversationId", "conversationId", 300);
        String key = ChannelText.optional(request, "idempotencyKey", "idempotencyKey", 240);
        JsonNode dedupe = payload.get("dedupe");
        if (key == null && isObject(dedupe)) {
            key = ChannelText.optional(dedupe, "key", "payload.dedupe.key", 240);
        }
        return new ChannelEnvelope(Json.mapper().convertValue(payload, OBJECT), eventType, direction,
                requestConversation == null ? conversationId : requestConversation, body == null ? DEFAULT_BODY : body,
                key, hasActivity);
    }

    public boolean ephemeral() {
        return EPHEMERAL.contains(eventType);
    }

    private static void attachments(JsonNode attachments) {
        if (attachments == null || attachments.isNull()) {
            return;
        }
        if (!attachments.isArray()) {
            throw RelayError.InvalidInput.worded("payload.attachments", "payload.attachments must be an array");
        }
        if (attachments.size() > MAX_ATTACHMENTS) {
            throw RelayError.InvalidInput.worded("payload.attachments",
                    "payload.attachments must have at most " + MAX_ATTACHMENTS + " entries");
        }
        for (int i = 0; i < attachments.size(); i++) {
            String at = "payload.attachments[" + i + "]";
            JsonNode attachment = attachments.get(i);
            if (!isObject(attachment)) {
                throw RelayError.InvalidInput.worded(at, at + " must be an object");
            }
            JsonNode ref = attachment.get("ref");
            if (!isObject(ref)) {
                throw RelayError.InvalidInput.worded(at + ".ref", at + ".ref must be an object");
            }
            String type = ChannelText.required(ref, "type", at + ".ref.type", 40);
            if (!REF_TYPES.contains(type)) {
                throw RelayError.InvalidInput.worded(at + ".ref.type",
                        at + ".ref.type must be one of relay-blob, external-url, channel-file");
            }
            if (type.equals("external-url")) {
                ChannelText.required(ref, "url", at + ".ref.url", 2048);
            } else {
                ChannelText.required(ref, "id", at + ".ref.id", 400);
            }
        }
    }

    /** {@code payload.<name>}, which must be an object: else 400 {@code payload.<name> must be an object}. */
    private static JsonNode object(JsonNode payload, String name) {
        JsonNode value = payload.get(name);
        if (!isObject(value)) {
            throw RelayError.InvalidInput.worded("payload." + name, "payload." + name + " must be an object");
        }
        return value;
    }

    private static boolean isObject(JsonNode value) {
        return value != null && value.isObject();
    }
}
