package io.agentrelay.server.connectors;

import com.fasterxml.jackson.annotation.JsonValue;
import io.agentrelay.api.Wire;

/** The actions a connector's manifest may define, as the TypeScript server names them. */
public enum ActionName implements Wire {
    INSTALL("install"),
    UNINSTALL("uninstall"),
    ENABLE("enable"),
    DISABLE("disable"),
    START("start"),
    STOP("stop"),
    RESTART("restart"),
    STATUS("status"),
    DOCTOR("doctor");

    private final String wire;

    ActionName(String wire) {
        this.wire = wire;
    }

    @Override
    @JsonValue
    public String wire() {
        return wire;
    }
}
