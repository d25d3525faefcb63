package io.agentrelay.server.store;

import com.fasterxml.jackson.databind.JsonNode;

/** A connector's description as registered at {@code at}; {@code config}, {@code state}: objects, or null to keep. */
public record ConnectorRegistration(String id, String name, String description, String version, String channelType,
                                    JsonNode config, JsonNode state, long at) {
}
