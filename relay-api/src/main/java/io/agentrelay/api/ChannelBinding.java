package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a channel's events go: every event of the channel (a channel-wide binding,
 * {@code conversationId} null) or of one of its conversations, to {@code target}. A channel has at
 * most one binding per (conversation, target); binding the same pair again changes its
 * {@code mode} and {@code priority}. {@code priority} is null when none was given (ordered as 0).
 */
public record ChannelBinding(long id, String channelId, String conversationId, BindingTarget target, Mode mode,
                             Long priority, long createdAt, long updatedAt) {

    /** Whether the binding takes an event alone or gets a copy beside the others. */
    public enum Mode implements Wire {
        EXCLUSIVE("exclusive"),
        BROADCAST("broadcast");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }
    }

    /** The TypeScript server's binding target types; {@code orchestrator} is named there but refused. */
    public enum TargetType implements Wire {
        AGENT("agent", ""),
        LABEL("label", "label:"),
        TAG("tag", "tag:"),
        CAPABILITY("capability", "cap:"),
        BROADCAST("broadcast", "broadcast"),
        ORCHESTRATOR("orchestrator", "orchestrator:"),
        POOL("pool", "pool:"),
        POLICY("policy", "policy:");

        private final String wire;
        private final String prefix;

        TargetType(String wire, String prefix) {
            this.wire = wire;
            this.prefix = prefix;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        /** The start of the address a target of this type has ({@code broadcast}: the whole address). */
        String prefix() {
            return prefix;
        }
    }

    /** A binding's target as the TypeScript server shows it: {@code {type, id}}, {@code id} null for broadcast. */
    public record BindingTarget(TargetType type, String id) {

        /** The message address this target stands for: {@code tag:x}, {@code cap:x}, {@code broadcast}, an agent id. */
        public String address() {
            return type == TargetType.BROADCAST ? type.prefix() : type.prefix() + id;
        }
    }
}
