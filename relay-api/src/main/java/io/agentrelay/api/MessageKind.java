package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a message is for. */
public enum MessageKind implements Wire {
    CHAT("chat"),
    CHANNEL_EVENT("channel.event"),
    TASK("task"),
    PAIR("pair"),
    CONTROL("control"),
    SYSTEM("system");

    private final String wire;

    MessageKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
