package io.agentrelay.server.store;

import io.agentrelay.api.CommandType;
import java.util.Map;

/** A command to insert, {@code pending}; the store assigns its id. */
public record NewCommand(CommandType type, String source, String target, String correlationId,
                         Map<String, Object> params, long createdAt, long expiresAt) {
}
