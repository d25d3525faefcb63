package io.agentrelay.server.http;

import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.RelayError;

/** Reads a session guard from a request: body {@code instanceId}/{@code epoch}, else the X-Agent-* headers. */
final class Guards {
    private Guards() {
    }

    static SessionGuard of(Request request) {
        JsonBody body = request.json();
        String instanceId = body.string("instanceId");
        if (instanceId == null) {
            instanceId = request.header("X-Agent-Instance");
        }
        Long epoch = body.integer("epoch");
        if (epoch == null) {
            String header = request.header("X-Agent-Epoch");
            if (header != null && !header.isEmpty()) {
                epoch = Params.wholeNumber(header.trim());
                if (epoch == null) {
                    throw new RelayError.InvalidInput("X-Agent-Epoch", "must be a whole number");
                }
            }
        }
        return instanceId == null && epoch == null ? SessionGuard.NONE : new SessionGuard(instanceId, epoch);
    }
}
