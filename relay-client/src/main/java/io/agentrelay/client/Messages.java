package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Message;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/messages}: send, poll, read, thread, claim. Get it from {@link RelayClient#messages()}.
 * Every call is synchronous and thread-safe, and throws {@link RelayException} when refused.
 */
public final class Messages {
    private final Transport transport;

    Messages(Transport transport) {
        this.transport = transport;
    }

    /** Sends a message; on success it is stored (durable) and streamed to its recipients. */
    public Sent send(SendMessage message) {
        Transport.Reply reply = transport.post("/api/messages", message.requestBody());
        return new Sent(transport.read(reply.body(), Message.class), reply.status() == 201);
    }

    /** Shorthand for a plain chat message. */
    public Sent send(String from, String to, String body) {
        return send(SendMessage.builder(from, to, body).build());
    }

    /**
     * Replies to a message: a message from {@code from} to the original sender, in its thread.
     */
    public Sent reply(long messageId, String from, String body) {
        Message original = get(messageId);
        return send(SendMessage.builder(from, original.from(), body).replyTo(messageId).channel(original.channel()).build());
    }

    /** The messages that concern {@code agentId} (its id, tags, capabilities, label, broadcasts). */
    public Inbox inbox(String agentId, InboxQuery query) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("for", agentId);
        params.putAll(query.query());
        JsonNode body = transport.get(Transport.query("/api/messages", params)).body();
        return new Inbox(messages(body), body.path("cursor").asLong(query.since()));
    }

    /** The most recent messages of the whole relay, newest first. */
    public List<Message> recent(InboxQuery query) {
        return messages(transport.get(Transport.query("/api/messages", query.query())).body());
    }

    /** The highest message id that concerns {@code agentId}: start polling from here to skip history. */
    public long cursor(String agentId) {
        return transport.get(Transport.query("/api/messages/cursor", Map.of("for", agentId))).body().path("cursor").asLong();
    }

    /**
     * The messages still waiting for a {@code policy:}/{@code pool:} target (no agent there yet),
     * oldest first, at most {@code limit} (1 … 500).
     */
    public List<Message> queued(String target, int limit) {
        JsonNode body = transport.get(Transport.query("/api/messages/queued",
                Map.of("for", target, "limit", Integer.toString(limit)))).body();
        List<Message> out = new ArrayList<>();
        for (JsonNode message : body) {
            out.add(transport.read(message, Message.class));
        }
        return out;
    }

    /** One message; {@link RelayException.NotFound} when there is none with that id. */
    public Message get(long id) {
        return transport.read(transport.get(path(id)).body(), Message.class);
    }

    /** The whole reply chain the message belongs to, oldest first. */
    public List<Message> thread(long id) {
        return messages(transport.get(path(id) + "/thread").body());
    }

    /** Delivery, read and claim state of a message. */
    public DeliveryReport status(long id) {
        return transport.read(transport.get(path(id) + "/status").body(), DeliveryReport.class);
    }

    /**
     * Claims a claimable message for {@code agentId}. Exactly one claimer wins; the others get
     * {@link RelayException.Conflict} naming the holder ({@code claimedBy()}). Claiming again
     * renews the claim.
     */
    public Message claim(long id, String agentId) {
        return claim(id, agentId, SessionGuard.NONE);
    }

    public Message claim(long id, String agentId, SessionGuard guard) {
        return transport.read(transport.post(path(id) + "/claim", Transport.body("agentId", agentId,
                "instanceId", guard.instanceId(), "epoch", guard.epoch())).body(), Message.class);
    }

    /** Gives a claim back so another agent can take the message. */
    public Message release(long id, String agentId) {
        return release(id, agentId, SessionGuard.NONE);
    }

    public Message release(long id, String agentId, SessionGuard guard) {
        return transport.read(transport.post(path(id) + "/release", Transport.body("agentId", agentId,
                "instanceId", guard.instanceId(), "epoch", guard.epoch())).body(), Message.class);
    }

    /** Marks messages read for one agent; returns the ids that were not read before. */
    public List<Long> markRead(String agentId, Collection<Long> ids) {
        return marked(transport.post("/api/messages/read", Transport.body("agentId", agentId, "ids", List.copyOf(ids))).body());
    }

    /** Marks every unread message of the agent's inbox up to {@code upTo} read; returns their ids. */
    public List<Long> markReadUpTo(String agentId, long upTo) {
        return marked(transport.post("/api/messages/read", Transport.body("agentId", agentId, "upTo", upTo)).body());
    }

    public void delete(long id) {
        transport.delete(path(id));
    }

    /** A {@code system} message to every agent. */
    public Message broadcast(String subject, String body) {
        return transport.read(transport.post("/api/system/broadcast", Transport.body("subject", subject, "body", body)).body(),
                Message.class);
    }

    private List<Message> messages(JsonNode body) {
        List<Message> out = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            out.add(transport.read(message, Message.class));
        }
        return out;
    }

    private static List<Long> marked(JsonNode body) {
        List<Long> ids = new ArrayList<>();
        body.path("marked").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static String path(long id) {
        return "/api/messages/" + id;
    }
}
