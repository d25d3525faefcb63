package io.agentrelay.cli.client;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "id", mixinStandardHelpOptions = true,
        description = {"Print the agent id the other commands use here.",
                "That is --agent, else AGENT_RELAY_AGENT_ID, else the generated",
                "{hostname}-{rig}-{project}-{session-hash}, where the rig is AGENT_RELAY_RIG",
                "(default: shell), the project AGENT_RELAY_PROJECT (default: the name of the git",
                "work tree or directory), and the session AGENT_RELAY_SESSION (default: the",
                "nearest parent process that is not a shell: the Claude Code or Codex process,",
                "or the terminal)."})
public final class IdCommand implements Callable<Integer> {
    private final Shell shell;

    public IdCommand() {
        this(Shell.system());
    }

    /** The command run in {@code shell} (picocli's factory passes it, see {@code Main}). */
    public IdCommand(Shell shell) {
        this.shell = shell;
    }

    @Option(names = {"-a", "--agent"}, description = "An explicit id (printed as is).")
    String agent;

    @Option(names = "--generate", description = "Ignore --agent and AGENT_RELAY_AGENT_ID: always print the generated id.")
    boolean generate;

    @Option(names = "--rig", description = "The harness: claude, codex, shell, ... (overrides AGENT_RELAY_RIG).")
    String rig;

    @Option(names = "--project", description = "The project name (overrides AGENT_RELAY_PROJECT).")
    String project;

    @Option(names = "--session", description = "A session key to hash (overrides AGENT_RELAY_SESSION).")
    String session;

    @Option(names = "--json", description = "Print the id and its parts as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> env = new HashMap<>(shell.env());
        putIfSet(env, "AGENT_RELAY_RIG", rig);
        putIfSet(env, "AGENT_RELAY_PROJECT", project);
        putIfSet(env, "AGENT_RELAY_SESSION", session);
        AgentIdentity generated = AgentIdentity.generate(env, Path.of("").toAbsolutePath(), "shell");
        String source;
        String id;
        if (!generate && agent != null && !agent.isBlank()) {
            source = "flag";
            id = agent.trim();
        } else if (!generate && env.get("AGENT_RELAY_AGENT_ID") != null && !env.get("AGENT_RELAY_AGENT_ID").isBlank()) {
            source = "env";
            id = env.get("AGENT_RELAY_AGENT_ID").trim();
        } else {
            source = "generated";
            id = generated.id();
        }
        Output out = new Output(shell.out(), json);
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("source", source);
            body.put("generated", generated);
            out.json(body);
        } else {
            out.line(id);
        }
        return ExitCodes.OK;
    }

    private static void putIfSet(Map<String, String> env, String key, String value) {
        if (value != null && !value.isBlank()) {
            env.put(key, value);
        }
    }
}
