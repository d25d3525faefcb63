package io.agentrelay.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which events a page or a live stream carries. {@code agentId} keeps only the events that concern
 * that agent (messages that reach it, changes to it); null means every agent's. {@code types}
 * keeps only those event types; empty means all. Start from {@link #ALL} or {@link #forAgent}.
 */
public record EventFilter(String agentId, Set<String> types) {
    public static final String MESSAGE_NEW = "message.new";
    public static final String MESSAGE_READ = "message.read";
    public static final String MESSAGE_CLAIMED = "message.claimed";
    public static final String MESSAGE_CLAIM_RELEASED = "message.claim_released";
    public static final String MESSAGE_DELETED = "message.deleted";
    public static final String AGENT_REGISTERED = "agent.registered";
    public static final String AGENT_STATUS = "agent.status";
    public static final String AGENT_REMOVED = "agent.removed";
    /** A config key was written or deleted ({@link Config}); every agent's stream carries it. */
    public static final String CONFIG_CHANGED = "config.changed";
    public static final String ORCHESTRATOR_STATUS = "orchestrator.status";
    public static final String ORCHESTRATOR_REMOVED = "orchestrator.removed";
    public static final String COMMAND_CREATED = "command.created";
    public static final String COMMAND_UPDATED = "command.updated";
    /** A channel's typing, presence or read receipt ({@link Channels#postActivity}); never stored as a message. */
    public static final String CHANNEL_ACTIVITY = "channel.activity";
    public static final String CHANNEL_BINDING_CHANGED = "channel.binding.changed";
    public static final String CHANNEL_BINDING_REMOVED = "channel.binding.removed";
    public static final String PAIR_CREATED = "pair.created";
    public static final String PAIR_UPDATED = "pair.updated";

    public static final EventFilter ALL = new EventFilter(null, Set.of());

    public EventFilter {
        types = types == null ? Set.of() : Set.copyOf(types);
    }

    /** The events that concern one agent. */
    public static EventFilter forAgent(String agentId) {
        return new EventFilter(agentId, Set.of());
    }

    public EventFilter withTypes(String... value) {
        return new EventFilter(agentId, Set.of(value));
    }

    public EventFilter withTypes(Set<String> value) {
        return new EventFilter(agentId, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("agentId", agentId);
        query.put("types", types.isEmpty() ? null : String.join(",", types.stream().sorted().toList()));
        return query;
    }
}
