package io.agentrelay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The current value of one key of the versioned config store. {@code version} is 1 on the key's
 * first write and grows by one with every write, deletions included, so a key deleted and written
 * again continues from its deletion's version. {@code value} is any JSON, JSON {@code null} included;
 * {@code createdAt} is when the key was (last) created, {@code updatedAt} when this version was written.
 */
public record ConfigEntry(String namespace, String key, JsonNode value, long version, String updatedBy,
                          long createdAt, long updatedAt) {

    public ConfigEntry {
        value = value == null ? NullNode.getInstance() : value;
    }
}
