package io.agentrelay.server.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.errors.Require;

/**
 * A connector's description posted to the API: what it is, never what runs. {@code config} and
 * {@code state}: JSON objects, or null to keep what is stored.
 */
public record RegisterConnector(String id, String name, String description, String version, String channelType,
                                JsonNode config, JsonNode state) {
    public static final int MAX_TEXT = 200;
    public static final int MAX_DESCRIPTION = 2_000;

    public RegisterConnector {
        id = ConnectorId.require("id", id);
        name = Require.optionalText("name", name, MAX_TEXT);
        if (name == null || name.isBlank()) {
            name = id;
        }
        description = Require.optionalText("description", description, MAX_DESCRIPTION);
        version = Require.optionalText("version", version, MAX_TEXT);
        channelType = Require.optionalText("channelType", channelType, MAX_TEXT);
    }
}
