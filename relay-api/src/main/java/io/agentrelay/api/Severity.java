package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent an integration event is. */
public enum Severity implements Wire {
    INFO("info"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wire;

    Severity(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
