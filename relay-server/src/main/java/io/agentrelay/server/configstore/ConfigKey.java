package io.agentrelay.server.configstore;

import io.agentrelay.server.errors.Require;

/**
 * Where a config value lives: a namespace and a key in it, each a name that travels as one URL
 * path segment ({@link Require#pathName}: 1 to {@value #MAX_LENGTH} characters, no whitespace, no
 * {@code /}, no control characters, valid Unicode).
 */
public record ConfigKey(String namespace, String key) {
    public static final int MAX_LENGTH = 240;

    public ConfigKey {
        namespace(namespace);
        Require.pathName("key", key, MAX_LENGTH);
    }

    /** A namespace alone, checked by the same rule. */
    public static String namespace(String namespace) {
        return Require.pathName("namespace", namespace, MAX_LENGTH);
    }

    /** The subject of this key's {@code config.changed} events, as the TypeScript server writes it. */
    public String subject() {
        return namespace + ":" + key;
    }
}
