package io.agentrelay.server.configstore;

import io.agentrelay.server.errors.Require;
import java.util.Objects;

/**
 * Deletes a key: a versioned write of its own. {@code updatedBy} as in {@link PutConfig};
 * {@code ifVersion}: delete only while the key is at that version; null deletes whatever the version.
 */
public record DeleteConfig(ConfigKey key, String updatedBy, Long ifVersion) {
    public DeleteConfig {
        Objects.requireNonNull(key, "key");
        updatedBy = ConfigService.updatedBy(updatedBy);
        if (ifVersion != null) {
            Require.range("ifVersion", ifVersion, 0, Long.MAX_VALUE);
        }
    }
}
