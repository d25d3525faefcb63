package io.agentrelay.server.store;

import com.fasterxml.jackson.databind.JsonNode;

/** A value to write to one config key at {@code at}; the store assigns its version. */
public record ConfigWrite(String namespace, String key, JsonNode value, String updatedBy, long at) {
}
