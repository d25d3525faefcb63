package io.agentrelay.server.config;

import com.fasterxml.jackson.annotation.JsonValue;
import io.agentrelay.api.Wire;

/** What an integration token may do. Unknown scopes stop start-up rather than being ignored. */
public enum IntegrationScope implements Wire {
    /** {@code POST /api/integrations/events}: raise, repeat and resolve tasks. */
    TASKS_CREATE("tasks:create");

    private final String wire;

    IntegrationScope(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }
}
