package io.agentrelay.cli.client;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.client.Presence;
import io.agentrelay.client.Registered;
import io.agentrelay.client.Registration;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register this agent on the relay (or update its card).",
                "Name, tags, capabilities and label default to AGENT_RELAY_NAME, AGENT_RELAY_TAGS, AGENT_RELAY_CAPS "
                        + "and AGENT_RELAY_LABEL (comma-separated lists), as for 'agent-relay mcp'.",
                "Registering again keeps what no flag or variable sets (capabilities, tags, label, meta); "
                        + "--replace resets it. A new agent without capabilities gets 'chat'."})
public final class RegisterCommand extends ClientCommand {
    /** What a new agent can do when neither --cap nor AGENT_RELAY_CAPS says: chat, as the TypeScript plugin. */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("chat");

    @Option(names = "--name", description = "Display name (default: AGENT_RELAY_NAME, else the id).")
    String name;

    @Option(names = "--kind", description = "provider (default), channel, orchestrator, system or user.")
    String kind;

    @Option(names = "--label", description = "A label other agents can address as label:NAME.")
    String label;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "A tag (address: tag:NAME); repeat or comma-separate.")
    List<String> tags;

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP", description = "A capability (address: cap:NAME); repeat or comma-separate.")
    List<String> capabilities;

    @Option(names = "--status", description = "online (default), idle, busy, stale or offline.")
    String status;

    @Option(names = "--ready", negatable = true, description = "Whether the agent is ready for work.")
    Boolean ready;

    @Option(names = "--machine", description = "The machine it runs on (default: this host's name).")
    String machine;

    @Option(names = "--instance", description = "This process's instance id; a new one bumps the agent's epoch (session guard).")
    String instance;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Free-form metadata; repeatable.")
    List<String> meta;

    @Option(names = "--replace", description = "Replace the whole card: what no flag or variable sets takes its default "
            + "(by default registering again keeps the current capabilities, tags, label and meta).")
    boolean replace;

    @Option(names = "--if-absent", description = "Only register when the relay does not know this id yet; otherwise just "
            + "heartbeat, keeping the card another process (an MCP server) registered.")
    boolean ifAbsent;

    @Override
    protected int run(RelayClient client) {
        Map<String, String> env = relay.env();
        String id = relay.agentId();
        if (ifAbsent) {
            try {
                Presence presence = client.agents().heartbeat(id);
                Map<String, Object> fromOrchestrator = orchestratorMeta(env);
                if (!fromOrchestrator.isEmpty()) {
                    return registerAgain(client, client.agents().get(id), fromOrchestrator);
                }
                if (out.json()) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("agent", client.agents().get(id));
                    body.put("created", false);
                    out.json(body);
                } else {
                    out.line("already registered " + id + " (" + presence.status().wire() + ", epoch " + presence.epoch() + ")");
                }
                return ExitCodes.OK;
            } catch (RelayException.NotFound absent) {
                // register below
            }
        }
        // Only what the flags or the environment name is sent: registering again keeps the rest
        // of the card (capabilities, tags, label, meta), unless --replace.
        Registration.Builder registration = Registration.builder(id, first(name, env.get("AGENT_RELAY_NAME"), id))
                .kind(Args.choice(spec, "--kind", kind, AgentKind.class))
                .status(Args.choice(spec, "--status", status, AgentStatus.class))
                .label(first(label, env.get("AGENT_RELAY_LABEL"), null))
                .tags(tags != null ? Args.names(tags) : namesOrNull(env.get("AGENT_RELAY_TAGS")))
                .capabilities(capabilities != null ? Args.names(capabilities) : namesOrNull(env.get("AGENT_RELAY_CAPS")))
                .defaultCapabilities(DEFAULT_CAPABILITIES)
                .machine(first(machine, AgentIdentity.machineName(env), null))
                .instanceId(instance)
                .replace(replace);
        Map<String, Object> fromOrchestrator = orchestratorMeta(env);
        if (meta != null || !fromOrchestrator.isEmpty()) {
            Map<String, Object> all = new LinkedHashMap<>(fromOrchestrator);
            if (meta != null) {
                all.putAll(Args.object(spec, "--meta", meta, null, null));
            }
            registration.meta(all);
        }
        if (ready != null) {
            registration.ready(ready);
        }
        Registered registered = client.agents().register(registration.build());
        if (out.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("agent", registered.agent());
            body.put("created", registered.created());
            out.json(body);
        } else {
            out.line("registered " + id + " (" + (registered.created() ? "new" : "updated") + ", epoch "
                    + registered.agent().epoch() + ")");
        }
        return ExitCodes.OK;
    }

    /**
     * An orchestrator started this process (a spawn, or a restart under the same id): its
     * registration is how the relay learns that the policy's agent is up, so the card another
     * process registered is registered again as it is, with what the orchestrator told the agent
     * added to its meta.
     */
    private int registerAgain(RelayClient client, AgentCard card, Map<String, Object> fromOrchestrator) {
        Map<String, Object> meta = new LinkedHashMap<>(card.meta());
        meta.putAll(fromOrchestrator);
        Registration.Builder again = Registration.builder(card.id(), card.name()).kind(card.kind()).label(card.label())
                .tags(card.tags()).capabilities(card.capabilities()).ready(card.ready()).machine(card.machine())
                .meta(meta);
        Registered registered = client.agents().register(again.build());
        if (out.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("agent", registered.agent());
            body.put("created", false);
            out.json(body);
        } else {
            out.line("registered " + card.id() + " again for its orchestrator (epoch " + registered.agent().epoch() + ")");
        }
        return ExitCodes.OK;
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        if (b != null && !b.isBlank()) {
            return b.trim();
        }
        return fallback;
    }

    /** The names of a comma-separated variable; null when it is unset, so the card keeps its own. */
    private static List<String> namesOrNull(String value) {
        return value == null || value.isBlank() ? null : Args.names(List.of(value));
    }

    /**
     * What an orchestrator told the agent it started (docs/orchestration.md): which orchestrator,
     * and for a spawn policy's agent the policy and the spawn request, by which the relay knows the
     * policy's agent is up.
     */
    static Map<String, Object> orchestratorMeta(Map<String, String> env) {
        Map<String, Object> meta = new LinkedHashMap<>();
        putIfSet(meta, "orchestratorId", env.get("AGENT_RELAY_ORCHESTRATOR_ID"));
        putIfSet(meta, "policyName", env.get("AGENT_RELAY_POLICY"));
        putIfSet(meta, "spawnRequestId", env.get("AGENT_RELAY_SPAWN_REQUEST_ID"));
        putIfSet(meta, "pool", env.get("AGENT_RELAY_POOL"));
        return meta;
    }

    private static void putIfSet(Map<String, Object> meta, String key, String value) {
        if (value != null && !value.isBlank()) {
            meta.put(key, value.strip());
        }
    }
}
