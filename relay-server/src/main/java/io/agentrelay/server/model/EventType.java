package io.agentrelay.server.model;

import com.fasterxml.jackson.annotation.JsonValue;
import io.agentrelay.api.Wire;

/** Every kind of entry the event log holds. Parsed from the wire in one place, {@link Wire#find}. */
public enum EventType implements Wire {
    AGENT_REGISTERED("agent.registered"),
    AGENT_STATUS("agent.status"),
    AGENT_REMOVED("agent.removed"),
    MESSAGE_NEW("message.new"),
    MESSAGE_READ("message.read"),
    MESSAGE_CLAIMED("message.claimed"),
    MESSAGE_CLAIM_RELEASED("message.claim_released"),
    MESSAGE_DELETED("message.deleted"),
    TASK_CREATED("task.created"),
    TASK_UPDATED("task.updated"),
    ACTIVITY_REPORTED("activity.reported"),
    CONFIG_CHANGED("config.changed"),
    ORCHESTRATOR_STATUS("orchestrator.status"),
    ORCHESTRATOR_REMOVED("orchestrator.removed"),
    COMMAND_CREATED("command.created"),
    COMMAND_UPDATED("command.updated"),
    CHANNEL_ACTIVITY("channel.activity"),
    // Ours: the TypeScript server's binding changes are not in its published sources.
    CHANNEL_BINDING_CHANGED("channel.binding.changed"),
    CHANNEL_BINDING_REMOVED("channel.binding.removed"),
    PAIR_CREATED("pair.created"),
    PAIR_UPDATED("pair.updated"),
    // Ours: the TypeScript server's connectors keep their state outside its event log.
    CONNECTOR_REGISTERED("connector.registered"),
    CONNECTOR_CONFIG_CHANGED("connector.config.changed"),
    CONNECTOR_ACTION("connector.action"),
    // Emitted by the TypeScript server's features this relay has not built yet (REFERENCE.md
    // §2.0): known here so that a client filtering on them gets an empty stream, not a 400.
    MESSAGE_QUEUED("message.queued"),
    MESSAGE_AVAILABLE("message.available"),
    MESSAGE_EXPIRED("message.expired"),
    POLICY_STATE_CHANGED("policy.state.changed");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
