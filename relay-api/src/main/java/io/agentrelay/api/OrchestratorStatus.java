package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether an orchestrator is heard from: online while it heartbeats, offline once the reaper finds it silent. */
public enum OrchestratorStatus implements Wire {
    ONLINE("online"),
    OFFLINE("offline");

    private final String wire;

    OrchestratorStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
