package io.agentrelay.server.configstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Objects;

/**
 * Writes {@code value} (any JSON, JSON {@code null} included; Java null means the request had no
 * {@code value}) to a key. {@code updatedBy}: who wrote it, trimmed, at most
 * {@value ConfigService#MAX_UPDATED_BY} characters, blank for nobody. {@code ifVersion}: write only
 * while the key is at that version (0: while it has no entry); null writes whatever the version.
 */
public record PutConfig(ConfigKey key, JsonNode value, String updatedBy, Long ifVersion) {
    public PutConfig {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            // The TypeScript server's text: "value required"; a JSON null is a value.
            throw new RelayError.InvalidInput("value", "required");
        }
        updatedBy = ConfigService.updatedBy(updatedBy);
        if (ifVersion != null) {
            Require.range("ifVersion", ifVersion, 0, Long.MAX_VALUE);
        }
    }
}
