package io.agentrelay.api;

/**
 * The managed-agent state of one spawn policy. Times are epoch milliseconds; a policy that was never
 * started has the default state: {@code stopped}, counters 0, {@code updatedAt} 0, {@code version} 0.
 *
 * @param spawnRequestId the id of the last start ({@code sp_<uuid>}); the agent that registers
 *                       with it in its meta is the policy's agent
 * @param restartCount        restarts since the policy was first started: asked for, and automatic ones
 * @param consecutiveFailures failures (a spawn, restart or shutdown failed or expired, the agent
 *                            went offline) since the agent last registered
 * @param healthySince        when the agent registered, while {@code running}
 * @param version             counts the state's changes (ours): each change is a compare-and-set on it
 */
public record PolicyState(
        String policyName,
        PolicyStatus status,
        String agentId,
        String orchestratorId,
        Provider provider,
        String tmuxSession,
        String spawnRequestId,
        Long lastSpawnAt,
        Long lastStopAt,
        int restartCount,
        int consecutiveFailures,
        Long healthySince,
        String lastError,
        long updatedAt,
        long version) {

    /** The state of a policy never started. */
    public static PolicyState initial(String policyName, String orchestratorId, Provider provider) {
        return new PolicyState(policyName, PolicyStatus.STOPPED, null, orchestratorId, provider, null, null, null, null,
                0, 0, null, null, 0, 0);
    }
}
