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
    ACTIVITY_REPORTED("activity.reported");

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
