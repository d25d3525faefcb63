package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a message has reached its recipients. */
public enum DeliveryStatus implements Wire {
    DELIVERED("delivered"),
    QUEUED("queued"),
    EXPIRED("expired");

    private final String wire;

    DeliveryStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
