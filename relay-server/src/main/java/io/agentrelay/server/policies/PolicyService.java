package io.agentrelay.server.policies;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.Json;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.PolicyStatus;
import io.agentrelay.api.PolicyView;
import io.agentrelay.api.SpawnPolicy;
import io.agentrelay.api.Target;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.configstore.ConfigKey;
import io.agentrelay.server.configstore.ConfigService;
import io.agentrelay.server.configstore.PutConfig;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.orchestrators.OrchestratorService;
import io.agentrelay.server.store.NewCommand;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Spawn policies and the state of the agent each one manages. A policy is the config entry
 * {@code spawn-policy/<name>}, written through the config store (its versions, history and
 * {@code config.changed}); its managed-agent state is a row of its own, changed only by
 * compare-and-set, each change appending {@code policy.state.changed} (subject: the policy's name,
 * data: the state, addressed to everyone like {@code config.changed}) in the same transaction.
 *
 * <p>The state machine (docs/orchestration.md): {@code start} (from stopped, stopping or failed)
 * → starting, with a new spawn request and an {@code agent.spawn} command; the agent registering
 * with that request in its meta → running ({@link #agentRegistered}); {@code stop} → stopping with
 * an {@code agent.shutdown}; {@code restart} (not from stopped) → starting with an
 * {@code agent.restart}. The supervisor follows the commands it made ({@link #commandFinished}): a
 * spawn or restart that fails, expires or is canceled → failed; a shutdown that succeeds → stopped,
 * one that does not → failed. The policy's running agent going offline ({@link #agentWentOffline})
 * → failed. The reaper starts a policy that failed after a start again, with backoff
 * ({@link #restartFailed}).
 */
public final class PolicyService {
    /** The config namespace of spawn policies. */
    public static final String NAMESPACE = "spawn-policy";
    /** Who asks, in the params of the commands a policy makes, as the TypeScript server writes it. */
    static final String REQUESTED_BY = "managed-agent";
    static final long SHUTDOWN_TIMEOUT_MS = 10_000;
    /** Automatic restarts in a row before a failed policy is left for a person. */
    public static final int MAX_AUTO_RESTARTS = 5;
    static final long FIRST_BACKOFF_MS = 30_000;
    static final long MAX_BACKOFF_MS = 600_000;
    /** Where {@code policy.state.changed} goes: to every agent, like {@code config.changed}. */
    private static final Event.Scope EVERYONE = new Event.Scope(Target.Broadcast.INSTANCE.wire(), null, null);

    private final Store store;
    private final Clock clock;
    private final ConfigService config;
    private final Duration commandTtl;

    public PolicyService(Store store, Clock clock, ConfigService config, Duration commandTtl) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.commandTtl = commandTtl;
    }

    /** Every policy by name, with its state (the default for one never started). */
    public CompletableFuture<List<PolicyView>> list() {
        return store.read(reads -> {
            Map<String, PolicyState> states = reads.policyStates().stream()
                    .collect(Collectors.toMap(PolicyState::policyName, Function.identity()));
            return reads.configEntries(NAMESPACE).stream().map(entry -> {
                SpawnPolicy policy = policy(entry);
                return new PolicyView(policy, Optional.ofNullable(states.get(entry.key()))
                        .orElseGet(() -> initial(policy)));
            }).toList();
        });
    }

    /** The policy's config entry. */
    public CompletableFuture<ConfigEntry> get(String name) {
        return store.read(reads -> entry(reads, name));
    }

    public CompletableFuture<PolicyView> status(String name) {
        return store.read(reads -> {
            SpawnPolicy policy = policy(entry(reads, name));
            return new PolicyView(policy, state(reads, policy));
        });
    }

    /** Writes the policy through the config store: version 1 for a new one. */
    public CompletableFuture<ConfigEntry> put(PolicyDefinition definition, String updatedBy) {
        return config.put(new PutConfig(new ConfigKey(NAMESPACE, definition.name()), definition.value(), updatedBy, null));
    }

    /**
     * Asks the policy's orchestrator to start its agent: 404 for an unknown policy or orchestrator,
     * 409 when the orchestrator is offline, 400 when it does not offer the provider or the policy's
     * folder is outside its base folder, 409 {@code spawn policy is already running} while starting
     * or running. Of two starts at once one wins; the other finds it starting (the state is a
     * compare-and-set).
     */
    public CompletableFuture<Command> start(String name) {
        return store.write(tx -> {
            long now = clock.millis();
            SpawnPolicy policy = policy(entry(tx, name));
            Orchestrator orchestrator = orchestrator(tx, policy.orchestratorId());
            if (orchestrator.status() != OrchestratorStatus.ONLINE) {
                throw new RelayError.Conflict("orchestrator is offline", Map.of("status", orchestrator.status().wire()));
            }
            if (!orchestrator.providers().contains(policy.provider())) {
                throw RelayError.InvalidInput.worded("provider", "orchestrator does not support provider: "
                        + policy.provider().wire());
            }
            String cwd = OrchestratorService.cwdWithin(orchestrator, policy.cwd());
            PolicyState current = state(tx, policy);
            if (current.status() == PolicyStatus.STARTING || current.status() == PolicyStatus.RUNNING) {
                throw alreadyRunning(current);
            }
            return spawn(tx, policy, orchestrator, current, cwd, "manual-start", current.restartCount(), now,
                    commandTtl.toMillis());
        });
    }

    /**
     * A new spawn request for the policy's agent: state {@code starting} with a new
     * {@code spawnRequestId}, and the {@code agent.spawn} command for the orchestrator's inbox.
     */
    private static Command spawn(Tx tx, SpawnPolicy policy, Orchestrator orchestrator, PolicyState current, String cwd,
                                 String reason, int restartCount, long now, long commandTtlMs) {
        String name = policy.name();
        String requestId = "sp_" + UUID.randomUUID();
        save(tx, new PolicyState(name, PolicyStatus.STARTING, null, orchestrator.id(), policy.provider(), null,
                requestId, now, current.lastStopAt(), restartCount, current.consecutiveFailures(), null,
                current.lastError(), now, current.version() + 1));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("action", "spawn");
        params.put("provider", policy.provider().wire());
        params.put("cwd", cwd);
        put(params, "label", policy.label());
        params.put("tags", policy.tags());
        params.put("capabilities", policy.capabilities());
        params.put("approvalMode", policy.permissionMode().wire());
        params.put("permissionMode", policy.permissionMode().wire());
        params.put("providerArgs", policy.providerArgs());
        put(params, "prompt", policy.prompt());
        params.put("headless", true);
        params.put("policyName", name);
        params.put("spawnRequestId", requestId);
        put(params, "pool", policy.pool());
        params.put("requestedBy", REQUESTED_BY);
        params.put("requestedAt", now);
        params.put("reason", reason);
        params.put("orchestratorId", orchestrator.id());
        return CommandService.create(tx, new NewCommand(CommandType.SPAWN, OrchestratorService.COMMAND_SOURCE,
                orchestrator.agentId(), requestId, params, now, now + commandTtlMs));
    }

    /** Asks for the policy's agent to be shut down (whatever its state): stopping. */
    public CompletableFuture<Command> stop(String name) {
        return store.write(tx -> shutdown(tx, name, "manual-stop", clock.millis()));
    }

    /**
     * Stops the policy's agent and deletes the policy, in one transaction: when the shutdown cannot
     * be asked for (404 for the orchestrator) nothing is deleted.
     */
    public CompletableFuture<Command> delete(String name, String updatedBy) {
        return store.write(tx -> {
            long now = clock.millis();
            Command command = shutdown(tx, name, "policy-deleted", now);
            ConfigService.deleteIn(tx, new ConfigKey(NAMESPACE, name), updatedBy, now);
            return command;
        });
    }

    /** Asks for the policy's agent to be restarted: starting again; 409 while it is stopped. */
    public CompletableFuture<Command> restart(String name) {
        return store.write(tx -> {
            long now = clock.millis();
            SpawnPolicy policy = policy(entry(tx, name));
            PolicyState current = state(tx, policy);
            if (current.status() == PolicyStatus.STOPPED) {
                throw new RelayError.Conflict("spawn policy is not running", Map.of("status", current.status().wire()));
            }
            Orchestrator orchestrator = orchestrator(tx, orchestratorOf(policy, current));
            save(tx, new PolicyState(name, PolicyStatus.STARTING, current.agentId(), orchestrator.id(),
                    current.provider() != null ? current.provider() : policy.provider(), current.tmuxSession(),
                    current.spawnRequestId(), current.lastSpawnAt(), current.lastStopAt(), current.restartCount() + 1,
                    current.consecutiveFailures(), null, current.lastError(), now, current.version() + 1));
            return CommandService.create(tx, action(CommandType.RESTART, "restart", orchestrator, current, name,
                    "manual-restart", now));
        });
    }

    private Command shutdown(Tx tx, String name, String reason, long now) {
        SpawnPolicy policy = policy(entry(tx, name));
        PolicyState current = state(tx, policy);
        Orchestrator orchestrator = orchestrator(tx, orchestratorOf(policy, current));
        save(tx, new PolicyState(name, PolicyStatus.STOPPING, current.agentId(), orchestrator.id(),
                current.provider() != null ? current.provider() : policy.provider(), current.tmuxSession(),
                current.spawnRequestId(), current.lastSpawnAt(), now, current.restartCount(),
                current.consecutiveFailures(), current.healthySince(), current.lastError(), now, current.version() + 1));
        return CommandService.create(tx, action(CommandType.SHUTDOWN, "shutdown", orchestrator, current, name, reason, now));
    }

    /**
     * A restart or shutdown of the policy's agent, for the orchestrator's inbox. It names the agent
     * by every handle the state has ({@code agentId}, {@code tmuxSession}, {@code spawnRequestId},
     * {@code policyName}), so an executor can find the session even before the agent registered.
     */
    private NewCommand action(CommandType type, String action, Orchestrator orchestrator, PolicyState state, String name,
                              String reason, long now) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("action", action);
        params.put("policyName", name);
        put(params, "spawnRequestId", state.spawnRequestId());
        put(params, "agentId", state.agentId());
        put(params, "tmuxSession", state.tmuxSession());
        params.put("graceful", true);
        params.put("timeoutMs", SHUTDOWN_TIMEOUT_MS);
        params.put("reason", reason);
        params.put("orchestratorId", orchestrator.id());
        params.put("requestedBy", REQUESTED_BY);
        params.put("requestedAt", now);
        return new NewCommand(type, OrchestratorService.COMMAND_SOURCE, orchestrator.agentId(), state.spawnRequestId(),
                params, now, now + commandTtl.toMillis());
    }

    // ---- the supervisor: hooks run inside other services' transactions ----

    /**
     * The registration hook (in the registration's transaction): an agent whose meta names a policy
     * and that policy's current spawn request is the policy's agent, now running. A late
     * registration of a policy being stopped (or stopped) changes nothing.
     */
    public static void agentRegistered(Tx tx, AgentCard agent, long now) {
        if (!(agent.meta().get("policyName") instanceof String name)
                || !(agent.meta().get("spawnRequestId") instanceof String requestId)) {
            return;
        }
        Optional<PolicyState> stored = tx.policyState(name);
        if (stored.isEmpty() || !requestId.equals(stored.get().spawnRequestId())) {
            return;
        }
        PolicyState s = stored.get();
        if (s.status() == PolicyStatus.STOPPING || s.status() == PolicyStatus.STOPPED) {
            return;
        }
        save(tx, new PolicyState(name, PolicyStatus.RUNNING, agent.id(), s.orchestratorId(), s.provider(),
                s.tmuxSession(), s.spawnRequestId(), s.lastSpawnAt(), s.lastStopAt(), s.restartCount(), 0, now, null,
                now, s.version() + 1));
        // Queued policy: messages resolve to this agent next, in this transaction (the registration
        // hooks run in order: this one, then QueuedDelivery's).
    }

    /**
     * The agent that runs the policy now: the one its state says is {@code running}, while that
     * agent is online, idle or busy. Empty otherwise.
     */
    public static Optional<AgentCard> runningAgent(Reads reads, String policyName) {
        return reads.policyState(policyName)
                .filter(state -> state.status() == PolicyStatus.RUNNING && state.agentId() != null)
                .flatMap(state -> reads.agent(state.agentId()))
                .filter(agent -> agent.status().present());
    }

    /**
     * The command hook (in the transaction that finished the command): a command the policy made
     * for its current spawn request moves the state. Commands of an earlier request, or that do not
     * fit the state (a spawn's failure while stopping), change nothing.
     */
    public static void commandFinished(Tx tx, Command command, long now) {
        if (!(command.params().get("policyName") instanceof String name)) {
            return;
        }
        // A policy never started has no spawn request; its stop's command has none either.
        String requestId = command.params().get("spawnRequestId") instanceof String id ? id : null;
        Optional<PolicyState> stored = tx.policyState(name);
        if (stored.isEmpty() || !Objects.equals(requestId, stored.get().spawnRequestId())) {
            return;
        }
        PolicyState s = stored.get();
        boolean succeeded = command.status() == CommandStatus.SUCCEEDED;
        if (command.type() == CommandType.SHUTDOWN) {
            if (s.status() != PolicyStatus.STOPPING) {
                return;
            }
            if (succeeded) {
                save(tx, new PolicyState(name, PolicyStatus.STOPPED, s.agentId(), s.orchestratorId(), s.provider(),
                        s.tmuxSession(), s.spawnRequestId(), s.lastSpawnAt(), s.lastStopAt(), s.restartCount(),
                        s.consecutiveFailures(), null, s.lastError(), now, s.version() + 1));
            } else {
                failed(tx, s, failure(command), now);
            }
            return;
        }
        if (succeeded && (s.status() == PolicyStatus.STARTING || s.status() == PolicyStatus.RUNNING)) {
            // The executor's result names the session (and the agent id it gave it); the agent's
            // registration, not this, makes the policy running.
            String session = text(command.result(), "tmuxSession", s.tmuxSession());
            String agentId = s.status() == PolicyStatus.STARTING ? text(command.result(), "agentId", s.agentId()) : s.agentId();
            if (!Objects.equals(session, s.tmuxSession()) || !Objects.equals(agentId, s.agentId())) {
                save(tx, new PolicyState(name, s.status(), agentId, s.orchestratorId(), s.provider(), session,
                        s.spawnRequestId(), s.lastSpawnAt(), s.lastStopAt(), s.restartCount(), s.consecutiveFailures(),
                        s.healthySince(), s.lastError(), now, s.version() + 1));
            }
        } else if (!succeeded && s.status() == PolicyStatus.STARTING) {
            failed(tx, s, failure(command), now);
        }
    }

    /** The reaper's hook: the running agent of a policy went offline. */
    public static void agentWentOffline(Tx tx, AgentCard agent, long now) {
        if (!(agent.meta().get("policyName") instanceof String name)) {
            return;
        }
        tx.policyState(name)
                .filter(s -> s.status() == PolicyStatus.RUNNING && agent.id().equals(s.agentId()))
                .ifPresent(s -> failed(tx, s, "agent " + agent.id() + " went offline", now));
    }

    /**
     * The reaper's automatic restarts: a policy {@code failed} after a start (not after a stop: a
     * failed shutdown stays failed) is started again, with a new spawn request and
     * {@code restartCount} + 1, once {@link #backoff} of its {@code consecutiveFailures} has passed
     * since it failed, at most {@value #MAX_AUTO_RESTARTS} times in a row (its agent registering
     * resets the count). A policy whose orchestrator is gone, offline or no longer fits it waits
     * (still failed) for a later pass. Returns the names of the policies restarted.
     */
    public static List<String> restartFailed(Tx tx, long now, long commandTtlMs) {
        List<String> restarted = new java.util.ArrayList<>();
        for (PolicyState s : tx.policyStates()) {
            if (s.status() != PolicyStatus.FAILED || s.consecutiveFailures() < 1
                    || s.consecutiveFailures() > MAX_AUTO_RESTARTS || s.lastSpawnAt() == null
                    || (s.lastStopAt() != null && s.lastStopAt() >= s.lastSpawnAt())
                    || now < s.updatedAt() + backoff(s.consecutiveFailures())) {
                continue;
            }
            Optional<ConfigEntry> entry = tx.configEntry(NAMESPACE, s.policyName());
            if (entry.isEmpty()) {
                continue;
            }
            SpawnPolicy policy = policy(entry.get());
            Optional<Orchestrator> orchestrator = tx.orchestrator(policy.orchestratorId())
                    .filter(o -> o.status() == OrchestratorStatus.ONLINE && o.providers().contains(policy.provider()));
            if (orchestrator.isEmpty()) {
                continue;
            }
            String cwd;
            try {
                cwd = OrchestratorService.cwdWithin(orchestrator.get(), policy.cwd());
            } catch (RelayError.InvalidInput outside) {
                continue;
            }
            spawn(tx, policy, orchestrator.get(), s, cwd, "auto-restart", s.restartCount() + 1, now, commandTtlMs);
            restarted.add(s.policyName());
        }
        return restarted;
    }

    /** The wait before the automatic restart after {@code failures} failures in a row: 30 s, doubling, at most 10 min. */
    public static long backoff(int failures) {
        return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(Math.max(failures, 1) - 1, 20));
    }

    private static void failed(Tx tx, PolicyState s, String error, long now) {
        save(tx, new PolicyState(s.policyName(), PolicyStatus.FAILED, s.agentId(), s.orchestratorId(), s.provider(),
                s.tmuxSession(), s.spawnRequestId(), s.lastSpawnAt(), s.lastStopAt(), s.restartCount(),
                s.consecutiveFailures() + 1, null, error, now, s.version() + 1));
    }

    private static String failure(Command command) {
        String what = command.type().wire() + " command " + command.id();
        return switch (command.status()) {
            case EXPIRED -> what + " expired before an orchestrator accepted it";
            case CANCELED -> what + " was canceled";
            default -> command.error() != null && !command.error().isBlank() ? command.error() : what + " failed";
        };
    }

    private static String text(Map<String, Object> result, String key, String otherwise) {
        return result != null && result.get(key) instanceof String value && !value.isBlank() ? value : otherwise;
    }

    /**
     * Saves the next state (its version one above the stored one) and appends its event. The
     * writer's transactions are serialised, so a lost compare-and-set means a writer outside them
     * changed the state: a 409, with nothing written.
     */
    private static void save(Tx tx, PolicyState next) {
        if (!tx.savePolicyStateIf(next)) {
            PolicyState now = tx.policyState(next.policyName()).orElseThrow();
            if (next.status() == PolicyStatus.STARTING
                    && (now.status() == PolicyStatus.STARTING || now.status() == PolicyStatus.RUNNING)) {
                throw alreadyRunning(now);
            }
            throw new RelayError.Conflict("spawn policy state changed meanwhile; try again",
                    Map.of("status", now.status().wire()));
        }
        tx.append(EventType.POLICY_STATE_CHANGED, Event.Origin.server(next.policyName()), EVERYONE, next, next.updatedAt());
    }

    private static RelayError.Conflict alreadyRunning(PolicyState state) {
        return new RelayError.Conflict("spawn policy is already running", Map.of("status", state.status().wire()));
    }

    private static PolicyState state(Reads reads, SpawnPolicy policy) {
        return reads.policyState(policy.name()).orElseGet(() -> initial(policy));
    }

    private static PolicyState initial(SpawnPolicy policy) {
        return PolicyState.initial(policy.name(), policy.orchestratorId(), policy.provider());
    }

    /** The orchestrator running the policy's agent: the one it was started on, else the policy's. */
    private static String orchestratorOf(SpawnPolicy policy, PolicyState state) {
        return state.orchestratorId() != null && state.status() != PolicyStatus.STOPPED
                ? state.orchestratorId() : policy.orchestratorId();
    }

    private static ConfigEntry entry(Reads reads, String name) {
        return reads.configEntry(NAMESPACE, name).orElseThrow(() -> new RelayError.NotFound("spawn policy not found"));
    }

    /** A stored value: every write of the namespace was checked by {@link PolicyDefinition}. */
    private static SpawnPolicy policy(ConfigEntry entry) {
        SpawnPolicy policy = Json.mapper().convertValue(entry.value(), SpawnPolicy.class);
        return policy.name() == null || !policy.name().equals(entry.key())
                ? new SpawnPolicy(entry.key(), policy.orchestratorId(), policy.provider(), policy.cwd(), policy.label(),
                        policy.tags(), policy.capabilities(), policy.permissionMode(), policy.providerArgs(),
                        policy.prompt(), policy.pool())
                : policy;
    }

    private static Orchestrator orchestrator(Reads reads, String id) {
        return reads.orchestrator(id).orElseThrow(() -> new RelayError.NotFound("orchestrator not found"));
    }

    private static void put(Map<String, Object> params, String key, Object value) {
        if (value != null) {
            params.put(key, value);
        }
    }
}
