package io.agentrelay.client;

/**
 * Which session of an agent a write comes from. The relay refuses (409,
 * {@link RelayException.Conflict#staleSession()}) a write whose guard does not match the agent's
 * current registration, so a stale process cannot act for a newer one. {@link #NONE} checks nothing.
 *
 * @param instanceId the {@code instanceId} the process registered with, or null
 * @param epoch the {@code epoch} the registration answered with, or null
 */
public record SessionGuard(String instanceId, Long epoch) {
    public static final SessionGuard NONE = new SessionGuard(null, null);

    /** The guard of a registration answer: its instance id and epoch. */
    public static SessionGuard of(io.agentrelay.api.AgentCard agent) {
        return new SessionGuard(agent.instanceId(), agent.epoch());
    }
}
