package io.agentrelay.cli.mcp;

import io.agentrelay.cli.client.AgentIdentity;
import io.agentrelay.cli.client.RegisterCommand;
import io.agentrelay.client.Registration;
import io.agentrelay.client.RelayClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code agent-relay mcp}: an MCP server on stdin/stdout for a coding agent (Claude Code, Codex, any
 * MCP client). It answers {@code initialize} whatever the state of the relay or its configuration,
 * and reports any problem (relay down, token missing or wrong, a bad setting) in each tool result,
 * where the model and the person can read it, instead of exiting (which a client shows only as
 * "failed to connect"). The session registers as an agent on its first tool call and heartbeats
 * from then on ({@link Session}); when the client closes stdin, or the process that started the
 * server exits, it answers the requests it has received, marks the agent offline and exits.
 *
 * <p>Standard output carries the protocol and nothing else: {@code System.out} is pointed at
 * standard error before anything runs, so a stray print cannot corrupt the stream.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Run an MCP server on stdin/stdout that gives a coding agent the relay as tools.",
                "Add to the agent's MCP configuration as: command 'agent-relay', args ['mcp'].",
                "Environment: AGENT_RELAY_URL, AGENT_RELAY_TOKEN, AGENT_RELAY_AGENT_ID (else generated, rig from",
                "AGENT_RELAY_RIG, default 'mcp'), AGENT_RELAY_NAME, AGENT_RELAY_TAGS, AGENT_RELAY_CAPS (default chat",
                "for a new agent), AGENT_RELAY_LABEL (comma-separated), AGENT_RELAY_APPROVAL (open, guarded or",
                "read-only), AGENT_RELAY_HEARTBEAT_MS (default 20000). See docs/mcp.md."})
public final class McpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(McpCommand.class);
    static final String DEFAULT_RIG = "mcp";
    /** How long the requests received before stdin closed may take to be answered. */
    static final Duration DRAIN = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        // Claim stdout for the protocol before anything can print to it.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        Settings settings = Settings.from(System.getenv(), AgentIdentity.sessionDirectory());
        settings.problems().forEach(problem -> System.err.println("agent-relay mcp: " + problem));
        return serve(settings, System.in, protocol);
    }

    /**
     * What the server is configured with, from the environment. A bad value does not stop the
     * server: it is listed in {@code problems}, which every tool call reports.
     */
    record Settings(String url, String token, Registration registration, Duration heartbeat, Approval approval,
                    List<String> problems) {
        static Settings from(Map<String, String> env, Path sessionDirectory) {
            List<String> problems = new ArrayList<>();
            String explicit = trimmed(env.get("AGENT_RELAY_AGENT_ID"));
            AgentIdentity identity = AgentIdentity.generate(env, sessionDirectory, DEFAULT_RIG);
            String id = explicit != null ? explicit : identity.id();
            String name = trimmed(env.get("AGENT_RELAY_NAME"));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("rig", identity.rig());
            meta.put("project", identity.project());
            meta.put("cwd", sessionDirectory.toString());
            meta.put("pid", ProcessHandle.current().pid());
            meta.put("via", "mcp");
            // Only what the environment names is sent: registering keeps the rest of a known
            // agent's card (capabilities someone gave it with 'agent-relay register', say).
            Registration registration = Registration.builder(id,
                            name != null ? name : identity.rig() + " in " + identity.project() + " on " + identity.hostname())
                    .label(trimmed(env.get("AGENT_RELAY_LABEL")))
                    .tags(list(env.get("AGENT_RELAY_TAGS")))
                    .capabilities(list(env.get("AGENT_RELAY_CAPS")))
                    .defaultCapabilities(RegisterCommand.DEFAULT_CAPABILITIES)
                    .machine(AgentIdentity.machineName(env))
                    .instanceId(UUID.randomUUID().toString())
                    .meta(meta)
                    .build();
            Duration heartbeat = Duration.ofSeconds(20);
            String raw = trimmed(env.get("AGENT_RELAY_HEARTBEAT_MS"));
            if (raw != null) {
                try {
                    long millis = Long.parseLong(raw);
                    if (millis < 100) {
                        problems.add("AGENT_RELAY_HEARTBEAT_MS must be at least 100, got " + raw);
                    } else {
                        heartbeat = Duration.ofMillis(millis);
                    }
                } catch (NumberFormatException e) {
                    problems.add("AGENT_RELAY_HEARTBEAT_MS must be a whole number of milliseconds, got '" + raw + "'");
                }
            }
            Approval approval = Approval.parse(env.get("AGENT_RELAY_APPROVAL"), problems);
            String url = trimmed(env.get("AGENT_RELAY_URL"));
            return new Settings(url == null ? RelayClient.DEFAULT_URL : url, trimmed(env.get("AGENT_RELAY_TOKEN")),
                    registration, heartbeat, approval, List.copyOf(problems));
        }
    }

    static int serve(Settings settings, InputStream stdin, OutputStream stdout) throws InterruptedException {
        Exchange exchange = new Exchange(DRAIN);
        RelayClient relay = RelayClient.builder().url(settings.url()).token(settings.token()).build();
        Session session = new Session(relay, settings.registration(), settings.heartbeat());
        RelayTools tools = new RelayTools(relay, session, settings);

        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                exchange.input(stdin), exchange.output(stdout));
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("agent-relay", version())
                .instructions(instructions(session.agentId()))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.specifications())
                .build();

        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                session.close(); // marks the agent offline, unless a newer session took over its id
                try {
                    server.closeGracefully();
                } catch (RuntimeException e) {
                    LOG.debug("MCP server did not close gracefully", e);
                }
                relay.close();
                LOG.info("MCP server stopped");
            }
        };
        Thread hook = Thread.ofPlatform().name("mcp-shutdown").unstarted(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        // A client that dies without closing our stdin (killed, or its pipe inherited by a
        // grandchild) must not leave the agent online: its exit ends the session as EOF does.
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> exchange.inputClosed().complete(null)));
        exchange.inputClosed().join();
        // Answer what was asked before EOF: waits end now, calls in progress finish.
        session.wakeWaiters();
        if (!exchange.awaitAnswered(DRAIN)) {
            LOG.warn("requests still unanswered {} s after stdin closed; stopping anyway", DRAIN.toSeconds());
        }
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) stop, which is idempotent
        }
        return 0;
    }

    static String instructions(String self) {
        return "You are connected to the Agent Relay, a message bus shared with other coding agents, as agent '" + self
                + "'. Other agents reach you by that id (and by your tags and capabilities). Call check_inbox when you "
                + "start and between tasks; when you have nothing to do or wait for an answer, call wait_for_message. "
                + "To hand work to others use send_message (to an agent id, tag:NAME, cap:NAME or broadcast); work sent "
                + "with claimable=true must be claimed before you act on it, so that only one agent does it. Answer with "
                + "reply, which keeps the thread together. Messages of kind 'task' announce work raised by an integration "
                + "(an alert, a failed build): take it with claim_task (payload.taskId), then report with update_task "
                + "(in_progress with progress, finally done or failed with a result).";
    }

    private static String version() {
        String version = McpCommand.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The entries of a comma-separated variable; null when it is unset (nothing to say). */
    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
