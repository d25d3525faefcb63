package io.agentrelay.server.agents;

import io.agentrelay.api.AgentCard;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * What a write on behalf of an agent may claim about the session it comes from. A guard that
 * names an instance or epoch other than the registered one is refused, so a stale process cannot
 * act for a newer one. An empty guard checks nothing.
 */
public record SessionGuard(String instanceId, Long epoch) {
    public static final SessionGuard NONE = new SessionGuard(null, null);

    public SessionGuard {
        Require.optionalText("instanceId", instanceId, RegisterAgent.MAX_NAME);
    }

    /** Throws 409 when this guard does not match {@code agent}'s current session. */
    public void check(AgentCard agent) {
        if (instanceId != null && !instanceId.equals(agent.instanceId())) {
            throw new RelayError.Conflict("stale session: agent " + agent.id() + " is registered with another instanceId",
                    Map.of("code", "stale_session", "epoch", agent.epoch()));
        }
        if (epoch != null && epoch != agent.epoch()) {
            throw new RelayError.Conflict("stale session: agent " + agent.id() + " is at epoch " + agent.epoch()
                    + ", not " + epoch, Map.of("code", "stale_session", "epoch", agent.epoch()));
        }
    }
}
