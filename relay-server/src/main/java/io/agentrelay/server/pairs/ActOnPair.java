package io.agentrelay.server.pairs;

import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.Require;

/** {@code POST /api/pairs/:id/accept|reject|end}: a member ({@code agentId}) moves the pair, saying why if it likes. */
public record ActOnPair(String agentId, String reason, SessionGuard guard) {
    public static final int MAX_REASON = 2_000;

    public ActOnPair {
        Require.agentId("agentId", agentId);
        reason = reason == null || reason.isBlank() ? null : Require.optionalText("reason", reason, MAX_REASON);
        guard = guard == null ? SessionGuard.NONE : guard;
    }
}
