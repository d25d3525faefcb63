package io.agentrelay.server.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.Target;
import io.agentrelay.api.Wire;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;

/**
 * {@code POST /api/channel-bindings}: bind a channel, or one conversation of it, to a target.
 * {@code conversationId} null binds the whole channel; {@code priority} null is none (ordered as 0).
 * The guard is the channel agent's session, checked by the service.
 */
public record BindChannel(String channelId, String conversationId, ChannelBinding.BindingTarget target,
                          ChannelBinding.Mode mode, Long priority, SessionGuard guard) {
    public static final int MAX_CHANNEL_ID = 200;
    public static final int MAX_CONVERSATION_ID = 300;
    public static final int MAX_TARGET_ID = 240;
    /** JavaScript's {@code Number.MAX_SAFE_INTEGER}: a priority beyond it is dropped, as the TypeScript server does. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    public BindChannel {
        channelId = ChannelText.required("channelId", channelId, MAX_CHANNEL_ID);
        conversationId = ChannelText.optional("conversationId", conversationId, MAX_CONVERSATION_ID);
        if (target == null) {
            throw RelayError.InvalidInput.worded("target", "target required");
        }
        mode = mode == null ? ChannelBinding.Mode.EXCLUSIVE : mode;
        guard = guard == null ? SessionGuard.NONE : guard;
    }

    /**
     * A priority as the TypeScript server keeps it: a safe integer (JSON {@code 3} or {@code 3.0}),
     * anything else — a fraction, a string, a number past 2^53 — is silently dropped.
     */
    public static Long priority(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        double number = value.asDouble();
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            long whole = value.longValue();
            return Math.abs(whole) <= MAX_SAFE_INTEGER ? whole : null;
        }
        return number == Math.rint(number) && Math.abs(number) <= MAX_SAFE_INTEGER ? (long) number : null;
    }

    /** {@code mode}: {@code exclusive} (default) or {@code broadcast}. */
    public static ChannelBinding.Mode mode(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        ChannelBinding.Mode mode = value.isTextual() ? Wire.find(ChannelBinding.Mode.class, value.textValue()) : null;
        if (mode == null) {
            throw new RelayError.InvalidInput("mode", "must be one of " + Wire.choices(ChannelBinding.Mode.class)
                    + ", got " + value);
        }
        return mode;
    }

    /**
     * A binding target, as the TypeScript server reads it: an address string ({@code tag:x},
     * {@code cap:x}, {@code label:x}, {@code pool:x}, {@code policy:x}, {@code broadcast}, else an
     * agent id) or an object {@code {type, id}}. Null when absent, so the record says {@code target required}.
     */
    public static ChannelBinding.BindingTarget target(JsonNode value) {
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            return null;
        }
        if (value.isTextual()) {
            return fromAddress("target", value.textValue());
        }
        if (!value.isObject()) {
            throw new RelayError.InvalidInput("target", "must be an address string or an object {type, id}");
        }
        JsonNode rawType = value.get("type");
        if (rawType == null || rawType.isNull()) {
            throw new RelayError.InvalidInput("target.type", "is required");
        }
        ChannelBinding.TargetType type = rawType.isTextual()
                ? Wire.find(ChannelBinding.TargetType.class, rawType.textValue()) : null;
        if (type == null) {
            throw new RelayError.InvalidInput("target.type", "must be one of "
                    + Wire.choices(ChannelBinding.TargetType.class) + ", got " + rawType);
        }
        if (type == ChannelBinding.TargetType.ORCHESTRATOR) {
            throw orchestratorRefused();
        }
        if (type == ChannelBinding.TargetType.BROADCAST) {
            return new ChannelBinding.BindingTarget(type, null);
        }
        JsonNode rawId = value.get("id");
        String id = ChannelText.required("target.id", rawId == null || rawId.isNull() ? null : text("target.id", rawId),
                MAX_TARGET_ID);
        ChannelBinding.BindingTarget target = fromAddress("target.id", new ChannelBinding.BindingTarget(type, id).address());
        if (target.type() != type) {
            throw new RelayError.InvalidInput("target.id", "'" + id + "' is not a " + type.wire() + " name");
        }
        return target;
    }

    private static ChannelBinding.BindingTarget fromAddress(String field, String address) {
        int colon = address.indexOf(':');
        if (colon > 0 && address.substring(0, colon).equalsIgnoreCase("orchestrator")) {
            throw orchestratorRefused();
        }
        Target parsed = Require.target(field, address);
        return switch (parsed) {
            case Target.Agent agent -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.AGENT, agent.id());
            case Target.Tag tag -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.TAG, tag.name());
            case Target.Capability cap -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.CAPABILITY, cap.name());
            case Target.Label label -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.LABEL, label.name());
            case Target.Pool pool -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.POOL, pool.name());
            case Target.Policy policy -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.POLICY, policy.name());
            case Target.Broadcast broadcast -> new ChannelBinding.BindingTarget(ChannelBinding.TargetType.BROADCAST, null);
        };
    }

    private static String text(String field, JsonNode value) {
        if (!value.isTextual()) {
            throw new RelayError.InvalidInput(field, "must be a string");
        }
        return value.textValue();
    }

    private static RelayError.InvalidInput orchestratorRefused() {
        return RelayError.InvalidInput.worded("target", "orchestrator channel targets are not supported yet");
    }
}
