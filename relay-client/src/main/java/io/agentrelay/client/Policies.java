package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Command;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.PolicyView;
import io.agentrelay.api.SpawnPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/spawn-policies} and {@code /api/spawn-policy/:name}: spawn policies — how an
 * orchestrator starts one managed agent, kept as the config entry {@code spawn-policy/<name>} — and
 * the state of the agent each one manages. {@link #start}, {@link #stop}, {@link #restart} and
 * {@link #delete} answer with the command the relay made for the orchestrator; the state follows
 * as the orchestrator carries it out and the agent registers ({@code policy.state.changed} events).
 * Get it from {@link RelayClient#policies()}. Every call is synchronous and thread-safe, and throws
 * {@link RelayException} when refused.
 */
public final class Policies {
    private final Transport transport;

    Policies(Transport transport) {
        this.transport = transport;
    }

    /** Every policy by name, each with its state ({@code stopped} for one never started). */
    public List<PolicyView> list() {
        List<PolicyView> out = new ArrayList<>();
        for (JsonNode item : transport.get("/api/spawn-policies").body()) {
            out.add(transport.read(item, PolicyView.class));
        }
        return out;
    }

    /** The policy's config entry (its value is the policy); {@link RelayException.NotFound} when there is none. */
    public ConfigEntry get(String name) {
        return transport.read(transport.get(path(name)).body(), ConfigEntry.class);
    }

    /** The policy with its state. */
    public PolicyView status(String name) {
        return transport.read(transport.get(path(name) + "/status").body(), PolicyView.class);
    }

    /** Writes the policy (its {@code name} may be null: the name is {@code name}); the entry with its new version. */
    public ConfigEntry put(String name, SpawnPolicy policy) {
        return put(name, policy, null);
    }

    /** Writes the policy as {@code updatedBy} (at most 200 characters; null for nobody). */
    public ConfigEntry put(String name, SpawnPolicy policy, String updatedBy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", Objects.requireNonNull(policy, "policy"));
        if (updatedBy != null) {
            body.put("updatedBy", updatedBy);
        }
        return transport.read(transport.put(path(name), body).body(), ConfigEntry.class);
    }

    /** Starts the policy's agent: the {@code agent.spawn} command; {@link RelayException.Conflict} while it is starting or running. */
    public Command start(String name) {
        return command(transport.post(path(name) + "/start", null));
    }

    /** Stops the policy's agent: the {@code agent.shutdown} command. */
    public Command stop(String name) {
        return command(transport.post(path(name) + "/stop", null));
    }

    /** Restarts the policy's agent: the {@code agent.restart} command; {@link RelayException.Conflict} while it is stopped. */
    public Command restart(String name) {
        return command(transport.post(path(name) + "/restart", null));
    }

    /** Stops the policy's agent and deletes the policy: the {@code agent.shutdown} command. */
    public Command delete(String name) {
        return delete(name, null);
    }

    public Command delete(String name, String updatedBy) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("updatedBy", updatedBy);
        return command(transport.delete(Transport.query(path(name), query)));
    }

    private Command command(Transport.Reply reply) {
        return transport.read(reply.body().path("command"), Command.class);
    }

    private static String path(String name) {
        return "/api/spawn-policy/" + Transport.segment(Objects.requireNonNull(name, "name"));
    }
}
