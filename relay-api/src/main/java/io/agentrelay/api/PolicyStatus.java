package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a spawn policy's managed agent is: {@code stopped} (the default, and after a shutdown
 * succeeded), {@code starting} (a spawn or restart was asked for), {@code running} (its agent
 * registered with the policy's current spawn request), {@code stopping} (a shutdown was asked for),
 * {@code failed} (a command for it failed or expired, or its agent went offline).
 */
public enum PolicyStatus implements Wire {
    STOPPED("stopped"),
    STARTING("starting"),
    RUNNING("running"),
    STOPPING("stopping"),
    FAILED("failed");

    private final String wire;

    PolicyStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
