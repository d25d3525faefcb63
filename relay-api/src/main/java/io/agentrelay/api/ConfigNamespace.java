package io.agentrelay.api;

/** A namespace of the config store that holds at least one key, with how many and when one last changed. */
public record ConfigNamespace(String namespace, long keys, long updatedAt) {
}
