package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.Json;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.PolicyView;
import io.agentrelay.client.RelayClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay policies list|get|set|delete|start|stop|restart|status}: spawn policies and their managed agents. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = {"Spawn policies: how an orchestrator starts one managed agent (kept in the config store as",
                "spawn-policy/<name>), and the state of that agent. start, stop, restart and delete ask the",
                "orchestrator through a command ('agent-relay commands')."},
        subcommands = {PoliciesCommand.ListPolicies.class, PoliciesCommand.Get.class, PoliciesCommand.Set.class,
                PoliciesCommand.Delete.class, PoliciesCommand.Start.class, PoliciesCommand.Stop.class,
                PoliciesCommand.Restart.class, PoliciesCommand.Status.class})
public final class PoliciesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: list, get, set, delete, start, stop, restart or status "
                + "(see 'agent-relay policies --help')");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the policies with their agents' state.")
    public static final class ListPolicies extends ClientCommand {
        @Override
        protected int run(RelayClient client) {
            List<PolicyView> views = client.policies().list();
            if (out.json()) {
                out.json(Map.of("policies", views));
            } else if (views.isEmpty()) {
                out.line("no spawn policies");
            } else {
                out.policies(views, System.currentTimeMillis());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print a policy as JSON (with --json: its config entry, version included).",
                    "Exit status 4 when there is no such policy."})
    public static final class Get extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            ConfigEntry entry = client.policies().get(name);
            if (out.json()) {
                out.json(entry);
            } else {
                out.line(Output.prettyJson(entry.value()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Write a policy, as this agent: from a JSON file (--file, '-' for standard input), from",
                    "the flags, or both (the flags replace the file's fields). --orchestrator and --provider are",
                    "required unless the file has them."})
    public static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--file", paramLabel = "PATH", description = "The policy as a JSON object; '-' for standard input.")
        String file;

        @Option(names = "--orchestrator", paramLabel = "ID", description = "The orchestrator that runs the agent.")
        String orchestrator;

        @Option(names = "--provider", paramLabel = "NAME", description = "claude or codex.")
        String provider;

        @Option(names = "--cwd", paramLabel = "DIR", description = "Its folder (absolute; default: the orchestrator's base).")
        String cwd;

        @Option(names = "--label", paramLabel = "TEXT")
        String label;

        @Option(names = "--tag", paramLabel = "TAG", description = "A tag of the agent (repeatable).")
        List<String> tags;

        @Option(names = "--capability", paramLabel = "CAP", description = "A capability of the agent (repeatable).")
        List<String> capabilities;

        @Option(names = "--permission-mode", paramLabel = "MODE", description = "open, guarded (default) or read-only.")
        String permissionMode;

        @Option(names = "--provider-arg", paramLabel = "ARG", description = "An argument for the provider (repeatable).")
        List<String> providerArgs;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "The agent's first prompt.")
        String prompt;

        @Option(names = "--pool", paramLabel = "NAME", description = "The pool the agent joins (pool:<name> targets).")
        String pool;

        @Override
        protected int run(RelayClient client) {
            ObjectNode policy = file == null ? Json.mapper().createObjectNode() : read();
            put(policy, "orchestratorId", orchestrator);
            put(policy, "provider", provider);
            put(policy, "cwd", cwd);
            put(policy, "label", label);
            putAll(policy, "tags", tags);
            putAll(policy, "capabilities", capabilities);
            put(policy, "permissionMode", permissionMode);
            putAll(policy, "providerArgs", providerArgs);
            put(policy, "prompt", prompt);
            put(policy, "pool", pool);
            ConfigEntry entry = client.config().put("spawn-policy", name, policy, relay.agentId());
            if (out.json()) {
                out.json(entry);
            } else {
                out.line("spawn policy " + name + " is at version " + entry.version());
            }
            return ExitCodes.OK;
        }

        private ObjectNode read() {
            String text = Args.fileText(spec, relay.shell(), file);
            try {
                JsonNode node = Json.mapper().readTree(text);
                if (!(node instanceof ObjectNode object)) {
                    throw Args.usage(spec, "--file must hold a JSON object (the policy)");
                }
                return object;
            } catch (JsonProcessingException e) {
                throw Args.usage(spec, "--file is not JSON (" + e.getOriginalMessage() + ")");
            }
        }

        private static void put(ObjectNode policy, String field, String value) {
            if (value != null) {
                policy.put(field, value);
            }
        }

        private static void putAll(ObjectNode policy, String field, List<String> values) {
            if (values != null) {
                policy.set(field, Json.mapper().valueToTree(values));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Stop a policy's agent and delete the policy, as this agent.",
                    "Exit status 4 when there is no such policy or its orchestrator is gone (nothing is deleted then)."})
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            return accepted(out, client.policies().delete(name, relay.agentId()), "deleted " + name + ";");
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a policy's agent on its orchestrator.",
                    "Exit status 5 when it is already starting or running, or the orchestrator is offline."})
    public static final class Start extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            return accepted(out, client.policies().start(name), "starting " + name + ":");
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a policy's agent.")
    public static final class Stop extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            return accepted(out, client.policies().stop(name), "stopping " + name + ":");
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = {"Restart a policy's agent.", "Exit status 5 when it is stopped."})
    public static final class Restart extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            return accepted(out, client.policies().restart(name), "restarting " + name + ":");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"A policy's agent: status, agent id, request, counters and last error.",
                    "Exit status 4 when there is no such policy."})
    public static final class Status extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        protected int run(RelayClient client) {
            PolicyView view = client.policies().status(name);
            if (out.json()) {
                out.json(view);
                return ExitCodes.OK;
            }
            PolicyState state = view.state();
            out.line(name + ": " + state.status().wire());
            out.line("  orchestrator   " + orDash(state.orchestratorId()) + " (" + view.policy().provider().wire() + ")");
            out.line("  agent          " + orDash(state.agentId()));
            out.line("  tmux session   " + orDash(state.tmuxSession()));
            out.line("  spawn request  " + orDash(state.spawnRequestId()));
            out.line("  last spawn     " + Output.time(state.lastSpawnAt()));
            out.line("  last stop      " + Output.time(state.lastStopAt()));
            out.line("  healthy since  " + Output.time(state.healthySince()));
            out.line("  restarts       " + state.restartCount());
            out.line("  failures       " + state.consecutiveFailures());
            out.line("  last error     " + orDash(state.lastError()));
            return ExitCodes.OK;
        }
    }

    /** The command the relay made: its id and type, or with --json the whole command. */
    private static int accepted(Output out, io.agentrelay.api.Command command, String what) {
        if (out.json()) {
            out.json(Map.of("ok", true, "command", command));
        } else {
            out.line(what + " command #" + command.id() + " (" + command.type().wire() + ") for " + command.target());
        }
        return ExitCodes.OK;
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
