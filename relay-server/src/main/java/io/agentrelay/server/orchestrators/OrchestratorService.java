package io.agentrelay.server.orchestrators;

import io.agentrelay.api.Command;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.server.commands.CommandService;
import io.agentrelay.server.errors.Parsed;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.messages.AgentAction;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.NewCommand;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The orchestrator registry and what it asks of orchestrators: registration (with the inbox agent,
 * {@link InboxAgent}), heartbeats, the managed agents they report, and the spawn, restart and
 * shutdown commands addressed to their inbox agent. Each change is one transaction with its
 * events: {@code orchestrator.status} (scoped to the inbox agent, so its stream and every
 * unfiltered stream see it), {@code orchestrator.removed}, and the commands' {@code command.created}.
 */
public final class OrchestratorService {
    /** A command's {@code source} when the relay makes it for a caller, as the TypeScript server names it. */
    public static final String COMMAND_SOURCE = "system";

    private final Store store;
    private final Clock clock;
    private final Duration commandTtl;

    public OrchestratorService(Store store, Clock clock, Duration commandTtl) {
        this.store = store;
        this.clock = clock;
        this.commandTtl = commandTtl;
    }

    /**
     * Registers or re-registers an orchestrator (an upsert), online now, and makes sure its inbox
     * agent exists and is online. An inbox agent is one orchestrator's: naming another's is a 409.
     */
    public CompletableFuture<Orchestrator> register(RegisterOrchestrator command) {
        return store.write(tx -> {
            long now = clock.millis();
            tx.orchestratorByAgent(command.agentId()).filter(other -> !other.id().equals(command.id()))
                    .ifPresent(other -> {
                        throw new RelayError.Conflict("agent " + command.agentId() + " is already the inbox of "
                                + "orchestrator " + other.id(), Map.of("orchestratorId", other.id()));
                    });
            Orchestrator previous = tx.orchestrator(command.id()).orElse(null);
            Orchestrator saved = new Orchestrator(command.id(), command.hostname(), command.baseDir(),
                    command.providers(), command.envKeys(), command.meta(), command.apiUrl(), command.agentId(),
                    previous == null ? List.of() : previous.agents(), OrchestratorStatus.ONLINE, now,
                    previous == null ? now : previous.createdAt(), now);
            tx.saveOrchestrator(saved);
            InboxAgent.ensure(tx, saved, now);
            status(tx, saved, now);
            return saved;
        });
    }

    public CompletableFuture<List<Orchestrator>> list() {
        return store.read(Reads::orchestrators);
    }

    public CompletableFuture<Orchestrator> get(String id) {
        return store.read(reads -> existing(reads, id));
    }

    /**
     * A sign of life: online now (an event only when it was offline), and its inbox agent online
     * too (registered again if it was removed meanwhile).
     */
    public CompletableFuture<Orchestrator> heartbeat(String id) {
        return store.write(tx -> {
            long now = clock.millis();
            Orchestrator orchestrator = existing(tx, id);
            boolean changed = orchestrator.status() != OrchestratorStatus.ONLINE;
            Orchestrator beat = orchestrator.withStatus(OrchestratorStatus.ONLINE, now,
                    changed ? now : orchestrator.updatedAt());
            tx.touchOrchestrator(id, beat.status(), beat.updatedAt(), beat.lastSeenAt());
            InboxAgent.ensure(tx, beat, now);
            if (changed) {
                status(tx, beat, now);
            }
            return beat;
        });
    }

    /** Replaces the managed agents an orchestrator reports; 404 before the body's 400s. */
    public CompletableFuture<Orchestrator> reportAgents(String id, Parsed<ReportAgents> report) {
        return store.write(tx -> {
            long now = clock.millis();
            Orchestrator orchestrator = existing(tx, id);
            List<ManagedAgent> agents = report.get().agents().stream().map(entry -> entry.at(now)).toList();
            Orchestrator changed = orchestrator.withAgents(agents, now);
            tx.saveManagedAgents(id, changed.agents(), now);
            status(tx, changed, now);
            return changed;
        });
    }

    /**
     * Asks an online orchestrator to start a provider session: an {@code agent.spawn} command for
     * its inbox agent. 404, then 409 when it is offline, then the body's 400s, then 400 when it
     * does not offer the provider or {@code cwd} is not inside its base folder.
     */
    public CompletableFuture<Command> spawn(String id, Parsed<SpawnAgent> request) {
        return store.write(tx -> {
            long now = clock.millis();
            Orchestrator orchestrator = existing(tx, id);
            if (orchestrator.status() != OrchestratorStatus.ONLINE) {
                throw new RelayError.Conflict("orchestrator is offline", Map.of("status", orchestrator.status().wire()));
            }
            SpawnAgent spawn = request.get();
            if (!orchestrator.providers().contains(spawn.provider())) {
                throw RelayError.InvalidInput.worded("provider", "orchestrator does not support provider: "
                        + spawn.provider().wire());
            }
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("action", "spawn");
            params.put("provider", spawn.provider().wire());
            params.put("cwd", cwdWithin(orchestrator, spawn.cwd()));
            put(params, "label", spawn.label());
            params.put("tags", spawn.tags());
            params.put("capabilities", spawn.capabilities());
            params.put("approvalMode", spawn.approvalMode().wire());
            params.put("permissionMode", spawn.approvalMode().wire());
            params.put("providerArgs", spawn.providerArgs());
            put(params, "prompt", spawn.prompt());
            put(params, "policyName", spawn.policyName());
            put(params, "spawnRequestId", spawn.spawnRequestId());
            params.put("requestedBy", spawn.requestedBy());
            params.put("requestedAt", now);
            params.put("orchestratorId", orchestrator.id());
            return CommandService.create(tx, new NewCommand(CommandType.SPAWN, COMMAND_SOURCE, orchestrator.agentId(),
                    spawn.spawnRequestId(), params, now, now + commandTtl.toMillis()));
        });
    }

    /**
     * Asks an orchestrator to restart or shut down a managed agent ({@code agentId}) or all of
     * them: an {@code agent.restart} / {@code agent.shutdown} command. Its target is always the
     * orchestrator's inbox agent, the executor; the managed agent is {@code params.agentId}.
     */
    public CompletableFuture<Command> act(String id, Parsed<ActOnAgents> request) {
        return store.write(tx -> {
            long now = clock.millis();
            Orchestrator orchestrator = existing(tx, id);
            ActOnAgents action = request.get();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("action", action.action().wire());
            put(params, "agentId", action.agentId());
            put(params, "policyName", action.policyName());
            put(params, "spawnRequestId", action.spawnRequestId());
            put(params, "tmuxSession", action.tmuxSession());
            params.put("reason", action.reason());
            params.put("requestedBy", action.requestedBy());
            params.put("requestedAt", now);
            params.put("orchestratorId", orchestrator.id());
            CommandType type = action.action() == AgentAction.RESTART ? CommandType.RESTART : CommandType.SHUTDOWN;
            return CommandService.create(tx, new NewCommand(type, COMMAND_SOURCE, orchestrator.agentId(),
                    action.spawnRequestId(), params, now, now + commandTtl.toMillis()));
        });
    }

    /** Removes an orchestrator from the registry; its inbox agent and its commands stay. */
    public CompletableFuture<Void> delete(String id) {
        return store.write(tx -> {
            Orchestrator orchestrator = existing(tx, id);
            tx.deleteOrchestrator(id);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("orchestratorId", id);
            data.put("agentId", orchestrator.agentId());
            data.put("reason", "deleted");
            tx.append(EventType.ORCHESTRATOR_REMOVED, Event.Origin.server(id), Event.Scope.agent(orchestrator.agentId()),
                    data, clock.millis());
            return null;
        });
    }

    /**
     * Marks every online orchestrator silent since before {@code cutoff} offline, for the reaper,
     * inside its transaction; returns their ids.
     */
    public static List<String> reapSilent(Tx tx, long cutoff, long now) {
        List<String> reaped = new ArrayList<>();
        for (Orchestrator orchestrator : tx.orchestratorsSilentSince(cutoff)) {
            Orchestrator offline = orchestrator.withStatus(OrchestratorStatus.OFFLINE, orchestrator.lastSeenAt(), now);
            tx.touchOrchestrator(offline.id(), offline.status(), offline.updatedAt(), offline.lastSeenAt());
            status(tx, offline, now);
            reaped.add(offline.id());
        }
        return reaped;
    }

    /** {@code orchestrator.status}: about the orchestrator, on its inbox agent's stream and the unfiltered ones. */
    private static void status(Tx tx, Orchestrator orchestrator, long now) {
        tx.append(EventType.ORCHESTRATOR_STATUS, Event.Origin.server(orchestrator.id()),
                Event.Scope.agent(orchestrator.agentId()), orchestrator, now);
    }

    /**
     * {@code cwd} (null: the base folder) normalised, when it lies inside the orchestrator's base
     * folder; otherwise the TypeScript server's 400. Relative paths are refused the same way: the
     * relay cannot know what they would be relative to.
     */
    public static String cwdWithin(Orchestrator orchestrator, String cwd) {
        if (cwd == null || cwd.isEmpty()) {
            return orchestrator.baseDir();
        }
        String base = PosixPath.normalize(orchestrator.baseDir());
        if (PosixPath.absolute(cwd) && cwd.indexOf('\0') < 0) {
            String resolved = PosixPath.normalize(cwd);
            if (PosixPath.within(base, resolved)) {
                return resolved;
            }
        }
        throw RelayError.InvalidInput.worded("cwd", "cwd must be within orchestrator base directory: "
                + orchestrator.baseDir());
    }

    private static void put(Map<String, Object> params, String key, Object value) {
        if (value != null) {
            params.put(key, value);
        }
    }

    private static Orchestrator existing(Reads reads, String id) {
        return reads.orchestrator(id).orElseThrow(() -> new RelayError.NotFound("orchestrator not found"));
    }
}
