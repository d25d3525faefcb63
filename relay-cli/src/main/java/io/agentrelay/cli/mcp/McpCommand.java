package io.agentrelay.cli.mcp;

import io.agentrelay.api.AgentKind;
import io.agentrelay.cli.client.AgentIdentity;
import io.agentrelay.client.EventFilter;
import io.agentrelay.client.Heartbeat;
import io.agentrelay.client.LiveStream;
import io.agentrelay.client.Registration;
import io.agentrelay.client.RelayClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code agent-relay mcp}: an MCP server on stdin/stdout for a coding agent (Claude Code, Codex, any
 * MCP client). On start it registers the session as an agent and keeps it online; it offers the
 * relay as tools; when the client closes stdin (or the process is told to stop) it marks the agent
 * offline and exits.
 *
 * <p>Standard output carries the protocol and nothing else: {@code System.out} is pointed at
 * standard error before anything runs, so a stray print cannot corrupt the stream.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Run an MCP server on stdin/stdout that gives a coding agent the relay as tools.",
                "Add to the agent's MCP configuration as: command 'agent-relay', args ['mcp'].",
                "Environment: AGENT_RELAY_URL, AGENT_RELAY_TOKEN, AGENT_RELAY_AGENT_ID (else generated, rig from",
                "AGENT_RELAY_RIG, default 'mcp'), AGENT_RELAY_NAME, AGENT_RELAY_TAGS, AGENT_RELAY_CAPS, AGENT_RELAY_LABEL",
                "(comma-separated), AGENT_RELAY_HEARTBEAT_MS (default 20000). See docs/mcp.md."})
public final class McpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(McpCommand.class);
    static final String DEFAULT_RIG = "mcp";

    @Override
    public Integer call() throws Exception {
        // Claim stdout for the protocol before anything can print to it.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        Map<String, String> env = System.getenv();
        Settings settings;
        try {
            settings = Settings.from(env);
        } catch (IllegalArgumentException e) {
            System.err.println("agent-relay mcp: " + e.getMessage());
            return 2;
        }
        return serve(settings, System.in, protocol);
    }

    /** What the server is configured with, from the environment. */
    record Settings(String url, String token, Registration registration, Duration heartbeat) {
        static Settings from(Map<String, String> env) {
            String explicit = trimmed(env.get("AGENT_RELAY_AGENT_ID"));
            AgentIdentity identity = AgentIdentity.generate(env, Path.of("").toAbsolutePath(), DEFAULT_RIG);
            String id = explicit != null ? explicit : identity.id();
            String name = trimmed(env.get("AGENT_RELAY_NAME"));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("rig", identity.rig());
            meta.put("project", identity.project());
            meta.put("cwd", Path.of("").toAbsolutePath().toString());
            meta.put("pid", ProcessHandle.current().pid());
            meta.put("via", "mcp");
            Registration registration = Registration.builder(id,
                            name != null ? name : identity.rig() + " in " + identity.project() + " on " + identity.hostname())
                    .kind(AgentKind.PROVIDER)
                    .label(trimmed(env.get("AGENT_RELAY_LABEL")))
                    .tags(list(env.get("AGENT_RELAY_TAGS")))
                    .capabilities(list(env.get("AGENT_RELAY_CAPS")))
                    .machine(AgentIdentity.machineName(env))
                    .instanceId(UUID.randomUUID().toString())
                    .meta(meta)
                    .build();
            Duration heartbeat = Duration.ofMillis(20_000);
            String raw = trimmed(env.get("AGENT_RELAY_HEARTBEAT_MS"));
            if (raw != null) {
                try {
                    heartbeat = Duration.ofMillis(Long.parseLong(raw));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("AGENT_RELAY_HEARTBEAT_MS must be a whole number of milliseconds, got '" + raw + "'");
                }
                if (heartbeat.toMillis() < 100) {
                    throw new IllegalArgumentException("AGENT_RELAY_HEARTBEAT_MS must be at least 100, got " + raw);
                }
            }
            String url = trimmed(env.get("AGENT_RELAY_URL"));
            return new Settings(url == null ? RelayClient.DEFAULT_URL : url, trimmed(env.get("AGENT_RELAY_TOKEN")),
                    registration, heartbeat);
        }
    }

    static int serve(Settings settings, InputStream stdin, OutputStream stdout) throws InterruptedException {
        CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        RelayClient relay = RelayClient.builder().url(settings.url()).token(settings.token()).build();
        String self = settings.registration().id();
        Heartbeat heartbeat = relay.agents().keepAlive(settings.registration(), settings.heartbeat());
        if (heartbeat.registered()) {
            LOG.info("registered as agent {} on {}", self, relay.url());
        } else {
            LOG.warn("could not register agent {} on {} yet ({}); tools will retry", self, relay.url(),
                    heartbeat.lastError() == null ? "unknown" : heartbeat.lastError().getMessage());
        }
        Arrivals arrivals = new Arrivals(self);
        LiveStream stream = relay.events().subscribe(EventFilter.forAgent(self).withTypes(EventFilter.MESSAGE_NEW), arrivals);
        RelayTools tools = new RelayTools(relay, self, heartbeat, arrivals);

        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                new EndAware(stdin, inputClosed), stdout);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("agent-relay", version())
                .instructions(instructions(self))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.specifications())
                .build();

        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopped.compareAndSet(false, true)) {
                stream.close();
                heartbeat.close(); // marks the agent offline, unless a newer session took over its id
                try {
                    server.closeGracefully();
                } catch (RuntimeException e) {
                    LOG.debug("MCP server did not close gracefully", e);
                }
                relay.close();
                LOG.info("agent {} is offline; MCP server stopped", self);
            }
        };
        Thread hook = Thread.ofPlatform().name("mcp-shutdown").unstarted(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        inputClosed.join();
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

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** Standard input that reports its end: the client closing stdin is the session ending. */
    private static final class EndAware extends FilterInputStream {
        private final CompletableFuture<Void> ended;

        EndAware(InputStream in, CompletableFuture<Void> ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return check(super.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return check(super.read(buffer, offset, length));
        }

        private int check(int result) {
            if (result < 0) {
                ended.complete(null);
            }
            return result;
        }

        @Override
        public void close() throws IOException {
            ended.complete(null);
            super.close();
        }
    }
}
