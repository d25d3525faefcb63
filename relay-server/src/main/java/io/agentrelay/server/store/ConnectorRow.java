package io.agentrelay.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Connector;

/**
 * A stored connector: what was registered through the API ({@code registered}), and the config and
 * last action of any connector, installed ones included. {@code config} and {@code state} are JSON
 * objects or null; {@code lastAction} is null until an action ran.
 */
public record ConnectorRow(String id, String name, String description, String version, String channelType,
                           boolean registered, JsonNode config, JsonNode state, Connector.LastAction lastAction,
                           long createdAt, long updatedAt) {
}
