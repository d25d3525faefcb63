package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** A provider an orchestrator can start sessions of. */
public enum Provider implements Wire {
    CLAUDE("claude"),
    CODEX("codex");

    private final String wire;

    Provider(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
