package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a task is in its lifecycle. Which moves are allowed is decided by the relay (see
 * docs/integrations.md, "Task lifecycle"); {@link #active()} tells the states a task can still leave.
 */
public enum TaskStatus implements Wire {
    OPEN("open"),
    CLAIMED("claimed"),
    IN_PROGRESS("in_progress"),
    BLOCKED("blocked"),
    DONE("done"),
    FAILED("failed"),
    CANCELED("canceled");

    private final String wire;

    TaskStatus(String wire) {
        this.wire = wire;
    }

    /** Whether the task is still being worked on (not done, failed or canceled). */
    public boolean active() {
        return this != DONE && this != FAILED && this != CANCELED;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
