package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Command;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Orchestrator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code /api/orchestrators}: the registry of orchestrators (host processes that run provider
 * sessions in tmux) and the requests for them. An orchestrator {@link #register registers},
 * {@link #heartbeat heartbeats} (the relay marks it offline after {@code STALE_TTL_MS} of
 * silence) and reports the sessions it runs ({@link #reportAgents}); it carries out the commands
 * {@link #spawn} and {@link #act} make, which reach its inbox agent's stream (see
 * {@link Commands#follow}). Get it from {@link RelayClient#orchestrators()}. Every call is
 * synchronous and thread-safe, and throws {@link RelayException} when refused.
 */
public final class Orchestrators {
    private final Transport transport;

    Orchestrators(Transport transport) {
        this.transport = transport;
    }

    /**
     * Registers the orchestrator, or registers it again (the relay answers 201 either way), online
     * now; its inbox agent is registered and brought online too. {@link RelayException.Conflict}
     * when another orchestrator has that inbox agent.
     */
    public Orchestrator register(OrchestratorRegistration registration) {
        return transport.read(transport.post("/api/orchestrators", registration.body()).body(), Orchestrator.class);
    }

    /** Every orchestrator, by id. */
    public List<Orchestrator> list() {
        JsonNode body = transport.get("/api/orchestrators").body();
        List<Orchestrator> orchestrators = new ArrayList<>();
        for (JsonNode orchestrator : body) {
            orchestrators.add(transport.read(orchestrator, Orchestrator.class));
        }
        return orchestrators;
    }

    /** One orchestrator; {@link RelayException.NotFound} when there is none with that id. */
    public Orchestrator get(String id) {
        return transport.read(transport.get(path(id)).body(), Orchestrator.class);
    }

    /**
     * A sign of life: online again if it was offline, and its inbox agent online too.
     * {@link RelayException.NotFound} means the orchestrator was deleted: register again.
     */
    public void heartbeat(String id) {
        transport.post(path(id) + "/heartbeat", null);
    }

    /** Replaces the sessions the orchestrator reports running; returns the orchestrator as now stored. */
    public Orchestrator reportAgents(String id, List<ManagedAgent> agents) {
        Objects.requireNonNull(agents, "agents");
        return transport.read(transport.patch(path(id) + "/agents", Transport.body("agents", agents)).body(),
                Orchestrator.class);
    }

    /**
     * Asks the orchestrator to start a session: returns the {@code agent.spawn} command made for its
     * inbox agent (pending). {@link RelayException.Conflict} when it is offline;
     * {@link RelayException.InvalidInput} when it does not offer the provider or {@code cwd} is not
     * inside its base folder.
     */
    public Command spawn(String id, SpawnRequest request) {
        return command(transport.post(path(id) + "/spawn", request.body()));
    }

    /** Asks the orchestrator to restart or shut down managed agents: returns the command made (pending). */
    public Command act(String id, OrchestratorAction action) {
        return command(transport.post(path(id) + "/actions", action.body()));
    }

    /** Removes the orchestrator from the registry (its inbox agent and commands stay). */
    public void delete(String id) {
        transport.delete(path(id));
    }

    private Command command(Transport.Reply reply) {
        return transport.read(reply.body().path("command"), Command.class);
    }

    private static String path(String id) {
        return "/api/orchestrators/" + Transport.segment(id);
    }
}
