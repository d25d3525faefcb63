package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.api.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/channels} and {@code /api/channel-bindings}: channels are agents that bridge an
 * outside conversation system (kind {@code channel}); bindings say which agents get a channel's
 * events; a bridge posts events (delivered as {@code channel.event} messages, one per binding) and
 * activity (typing, presence: streamed as {@code channel.activity}, never stored). Get it from
 * {@link RelayClient#channels()}. Synchronous, thread-safe; refusals throw {@link RelayException}.
 *
 * <p>Binding and posting need the channel agent's session: pass the {@link SessionGuard} of its
 * registration ({@link SessionGuard#of}); {@link SessionGuard#NONE} is refused with 400.
 */
public final class Channels {
    private final Transport transport;

    Channels(Transport transport) {
        this.transport = transport;
    }

    /** What a channel event became: one message per binding (earlier ones for a repeated key) and the bindings. */
    public record Posted(List<Message> messages, List<ChannelBinding> bindings, boolean created) {
    }

    /** An activity as the relay streamed it in {@code channel.activity}. */
    public record Activity(String channelId, String conversationId, Map<String, Object> payload, long createdAt) {
    }

    /** Every channel, ready ones first, then by name. */
    public List<ChannelSummary> list() {
        return list(transport.get("/api/channels").body(), ChannelSummary.class);
    }

    /** Every channel's bindings. */
    public List<ChannelBinding> bindings() {
        return bindings(null);
    }

    /** One channel's bindings (null: every channel's), by id. */
    public List<ChannelBinding> bindings(String channelId) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("channelId", channelId);
        return list(transport.get(Transport.query("/api/channel-bindings", query)).body(), ChannelBinding.class);
    }

    /**
     * Binds a channel, or one conversation of it ({@code conversationId}; null for the whole
     * channel), to {@code target} — an address: an agent id, {@code tag:x}, {@code cap:x},
     * {@code label:x}, {@code pool:x}, {@code policy:x} or {@code broadcast}. Binding the same
     * (conversation, target) again changes its mode and priority. {@code mode} null is exclusive;
     * {@code priority} null is none.
     */
    public ChannelBinding bind(String channelId, String conversationId, String target, ChannelBinding.Mode mode,
                               Long priority, SessionGuard guard) {
        Map<String, Object> body = Transport.body("channelId", Objects.requireNonNull(channelId, "channelId"),
                "conversationId", conversationId, "target", Objects.requireNonNull(target, "target"),
                "mode", mode == null ? null : mode.wire(), "priority", priority);
        guard(body, guard);
        return transport.read(transport.post("/api/channel-bindings", body).body(), ChannelBinding.class);
    }

    /** Removes a binding; {@link RelayException.NotFound} when there is none. */
    public void unbind(long bindingId) {
        transport.delete("/api/channel-bindings/" + bindingId);
    }

    /**
     * Posts a channel event: {@code payload} is an {@code agent-relay.channel.v1} envelope (a map, a
     * record or a {@code JsonNode}). {@code idempotencyKey} (null for none): a repeat posts nothing
     * and answers the earlier messages with {@code created} false.
     */
    public Posted postEvent(String channelId, Object payload, String idempotencyKey, SessionGuard guard) {
        Map<String, Object> body = Transport.body("payload", Objects.requireNonNull(payload, "payload"),
                "idempotencyKey", idempotencyKey);
        guard(body, guard);
        return transport.read(transport.post(path(channelId) + "/events", body).body(), Posted.class);
    }

    /** Posts activity (an envelope with an ephemeral event type or an {@code activity} object); nothing is stored. */
    public Activity postActivity(String channelId, Object payload, SessionGuard guard) {
        Map<String, Object> body = Transport.body("payload", Objects.requireNonNull(payload, "payload"));
        guard(body, guard);
        JsonNode reply = transport.post(path(channelId) + "/activities", body).body();
        return transport.read(reply.get("activity"), Activity.class);
    }

    private static void guard(Map<String, Object> body, SessionGuard guard) {
        if (guard != null && guard.instanceId() != null) {
            body.put("instanceId", guard.instanceId());
        }
        if (guard != null && guard.epoch() != null) {
            body.put("epoch", guard.epoch());
        }
    }

    private static String path(String channelId) {
        return "/api/channels/" + Transport.segment(Objects.requireNonNull(channelId, "channelId"));
    }

    private <T> List<T> list(JsonNode array, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode item : array) {
            out.add(transport.read(item, type));
        }
        return out;
    }
}
