package io.agentrelay.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One versioned write of a config key, as its history keeps it: the value that {@code version}
 * set, or {@code deleted} (value {@code null}) for a deletion. {@code updatedAt} is when it was
 * written, so a revision's time equals its entry's {@code updatedAt} at that version.
 */
public record ConfigRevision(String namespace, String key, long version, JsonNode value, boolean deleted,
                             String updatedBy, long updatedAt) {

    public ConfigRevision {
        value = value == null ? NullNode.getInstance() : value;
    }
}
