package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code /api/agents}: registration, presence and removal. Get it from {@link RelayClient#agents()}.
 * Every call is synchronous and thread-safe, and throws {@link RelayException} when refused.
 */
public final class Agents {
    private final Transport transport;
    private final RelayClient client;

    Agents(Transport transport, RelayClient client) {
        this.transport = transport;
        this.client = client;
    }

    /**
     * Creates an agent or registers it again ({@code POST /api/agents}); a known agent keeps what
     * the registration leaves unset (see {@link Registration}). A new agent without capabilities
     * gets the registration's {@code defaultCapabilities} by a PATCH right after.
     */
    public Registered register(Registration registration) {
        Transport.Reply reply = transport.post("/api/agents", registration.body());
        AgentCard agent = transport.read(reply.body(), AgentCard.class);
        boolean created = reply.status() == 201;
        if ((created || registration.replace()) && registration.capabilities() == null
                && !registration.defaultCapabilities().isEmpty()) {
            agent = patch(registration.id(), AgentPatch.NONE.withCapabilities(registration.defaultCapabilities()));
        }
        return new Registered(agent, created);
    }

    /** Every agent. */
    public List<AgentCard> list() {
        return list(AgentFilter.ALL);
    }

    /** The agents that match {@code filter}. */
    public List<AgentCard> list(AgentFilter filter) {
        JsonNode body = transport.get(Transport.query("/api/agents", filter.query())).body();
        List<AgentCard> agents = new ArrayList<>();
        for (JsonNode agent : body.path("agents")) {
            agents.add(transport.read(agent, AgentCard.class));
        }
        return agents;
    }

    /** One agent; {@link RelayException.NotFound} when the relay does not know it. */
    public AgentCard get(String id) {
        return transport.read(transport.get(path(id)).body(), AgentCard.class);
    }

    /** Changes parts of an agent's card. */
    public AgentCard patch(String id, AgentPatch patch) {
        return transport.read(transport.patch(path(id), patch.body()).body(), AgentCard.class);
    }

    /** A sign of life; a stale or offline agent comes back online. */
    public Presence heartbeat(String id) {
        return heartbeat(id, SessionGuard.NONE, null);
    }

    /**
     * A sign of life from one session, optionally setting the status. {@link RelayException.NotFound}
     * means the agent was pruned (register again); {@link RelayException.Conflict} with
     * {@code staleSession()} means a newer process took over the id.
     */
    public Presence heartbeat(String id, SessionGuard guard, AgentStatus status) {
        Objects.requireNonNull(guard, "guard");
        JsonNode body = transport.post(path(id) + "/heartbeat", Transport.body("instanceId", guard.instanceId(),
                "epoch", guard.epoch(), "status", status)).body();
        return transport.read(body, Presence.class);
    }

    /**
     * Asks an agent to restart or shut down: the relay sends it an urgent {@code control} message,
     * which is returned.
     */
    public Message requestAction(String id, String action) {
        return transport.read(transport.post(path(id) + "/actions", Transport.body("action", action)).body(), Message.class);
    }

    /** Removes an agent. */
    public void delete(String id) {
        transport.delete(path(id));
    }

    /**
     * Registers the agent now and keeps it online: a virtual thread heartbeats every
     * {@code interval} (keep it well under the relay's {@code STALE_TTL_MS}, 60 s by default),
     * registers again when the relay forgot the agent, and stops by itself when a newer process
     * took over the id. {@link Heartbeat#close()} stops it and marks the agent offline.
     *
     * <p>A relay that cannot be reached does not fail this call: the loop keeps trying, and
     * {@link Heartbeat#lastError()} says why it has not succeeded yet.
     */
    public Heartbeat keepAlive(Registration registration, Duration interval) {
        return client.track(Heartbeat.start(this, registration, interval));
    }

    private static String path(String id) {
        return "/api/agents/" + Transport.segment(id);
    }
}
