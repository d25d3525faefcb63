package io.agentrelay.cli.client;

import io.agentrelay.client.RelayClient;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options every client command shares: where the relay is, the token, who "I" am, and the
 * output format. Flags win over the environment.
 */
public final class ClientOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "Relay URL. Env AGENT_RELAY_URL (default " + RelayClient.DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Relay token. Env AGENT_RELAY_TOKEN (prefer the variable: flags show in the process list).")
    String token;

    @Option(names = {"-a", "--agent"}, paramLabel = "ID",
            description = "This agent's id. Env AGENT_RELAY_AGENT_ID; else generated: {hostname}-{rig}-{project}-{session-hash} "
                    + "(see 'agent-relay id').")
    String agent;

    @Option(names = "--json", description = "Print JSON (one object per line) instead of text, for scripts.")
    boolean json;

    private final Shell shell;
    private final Map<String, String> env;

    /** Options of a command run by the launcher, in this process's environment. */
    public ClientOptions() {
        this(Shell.system());
    }

    /** Options of a command run in {@code shell} (picocli's factory passes it, see {@code Main}). */
    public ClientOptions(Shell shell) {
        this.shell = shell;
        this.env = shell.env();
    }

    public Map<String, String> env() {
        return env;
    }

    /** Where the command reads its input and writes its results and diagnostics. */
    public Shell shell() {
        return shell;
    }

    public boolean json() {
        return json;
    }

    public String url() {
        String value = url != null ? url : env.get("AGENT_RELAY_URL");
        return value == null || value.isBlank() ? RelayClient.DEFAULT_URL : value.trim();
    }

    public RelayClient connect() {
        return RelayClient.builder().url(url()).token(token()).build();
    }

    /** --token, else AGENT_RELAY_TOKEN; null when neither is set. */
    public String token() {
        return token != null ? token : env.get("AGENT_RELAY_TOKEN");
    }

    /** Whether a token was given (--token or AGENT_RELAY_TOKEN), for error messages. */
    public boolean tokenGiven() {
        return token() != null && !token().isBlank();
    }

    /** --agent, else AGENT_RELAY_AGENT_ID, else the generated id of this session. */
    public String agentId() {
        if (agent != null && !agent.isBlank()) {
            return agent.trim();
        }
        String fromEnv = env.get("AGENT_RELAY_AGENT_ID");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        return AgentIdentity.generate(env, Path.of("").toAbsolutePath(), "shell").id();
    }
}
