package io.agentrelay.cli.orchestrator;

import io.agentrelay.api.Provider;
import io.agentrelay.api.Wire;
import io.agentrelay.cli.client.ExitCodes;
import io.agentrelay.cli.client.Shell;
import io.agentrelay.client.OrchestratorRegistration;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import java.io.File;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-relay orchestrator}: runs this host's orchestrator until it is stopped (SIGTERM,
 * Ctrl-C). What it may run is the administrator's: the providers and the base folder come from
 * its configuration file and flags, never from the relay (docs/orchestration.md).
 */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = {"Run this host's orchestrator: register with the relay, carry out its spawn, restart and",
                "shutdown commands in tmux, and supervise the agents it started. Runs until stopped.",
                "Providers (claude, codex) are what the administrator installed: --provider or the",
                "configuration file, else those found on PATH. See docs/orchestration.md."})
public final class OrchestratorCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = {"The host's configuration file (JSON). Env AGENT_RELAY_ORCHESTRATOR_CONFIG;",
                    "default, when it exists:", "~/.config/agent-relay/orchestrator.json"})
    Path config;

    @Option(names = "--id", description = "The orchestrator's id (default: the configuration's, else the host name).")
    String id;

    @Option(names = "--base-dir", paramLabel = "DIR", description = "The folder agents work under (required here or in the configuration).")
    Path baseDir;

    @Option(names = "--provider", paramLabel = "NAME=PROGRAM",
            description = "An installed provider and the program that starts it, e.g. claude=/usr/local/bin/claude (repeatable).")
    List<String> providers = new ArrayList<>();

    @Option(names = "--env-key", paramLabel = "NAME", description = "An environment variable passed on to agents (repeatable).")
    List<String> envKeys = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "How often it heartbeats and looks at its agents (default ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = {"Where it keeps its sessions and launch scripts; default:",
                    "~/.local/state/agent-relay/orchestrator-<id>"})
    Path stateDir;

    @Option(names = "--tmux", paramLabel = "PROGRAM", defaultValue = "tmux", description = "The tmux program (default ${DEFAULT-VALUE}).")
    String tmuxProgram;

    @Option(names = "--url", paramLabel = "URL", description = "Relay URL. Env AGENT_RELAY_URL (default " + RelayClient.DEFAULT_URL + ").")
    String url;

    private final Shell shell;

    public OrchestratorCommand() {
        this(Shell.system());
    }

    public OrchestratorCommand(Shell shell) {
        this.shell = shell;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = shell.env();
        Setup setup;
        try {
            setup = setup(env);
        } catch (IllegalArgumentException e) {
            shell.err().println("agent-relay orchestrator: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (!Tmux.available(tmuxProgram)) {
            shell.err().println("agent-relay orchestrator: tmux (" + tmuxProgram + ") does not run here; install it (apt-get install tmux)");
            return ExitCodes.USAGE;
        }
        String relayUrl = url != null ? url : env.getOrDefault("AGENT_RELAY_URL", RelayClient.DEFAULT_URL);
        String token = env.get("AGENT_RELAY_TOKEN");
        Tmux tmux = new Tmux(tmuxProgram, "agent-relay-" + setup.id());
        Spawner spawner = new Spawner(new Spawner.Settings(setup.id(), setup.baseDir(), relayUrl, token, env, setup.envKeys(),
                setup.providers(), setup.stateDir().resolve("scripts")), tmux, Clock.systemUTC());
        OrchestratorRegistration registration = OrchestratorRegistration.of(setup.id(), hostname(), setup.baseDir().toString())
                .withProviders(setup.providers().keySet().stream().map(name -> Wire.find(Provider.class, name))
                        .toArray(Provider[]::new))
                .withEnvKeys(setup.envKeys().toArray(String[]::new))
                .withMeta(Map.of("pid", ProcessHandle.current().pid()));
        CountDownLatch stopped = new CountDownLatch(1);
        try (RelayClient client = RelayClient.builder().url(relayUrl).token(token).build()) {
            OrchestratorDaemon daemon = new OrchestratorDaemon(client, registration, spawner, tmux,
                    new SessionBook(setup.stateDir().resolve("sessions")), Duration.ofMillis(Math.round(interval * 1000)),
                    shell.err());
            // SIGTERM and Ctrl-C end the orchestrator, not its agents: a later run adopts them.
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                daemon.close();
                stopped.countDown();
            }));
            try {
                daemon.start();
            } catch (RelayException e) {
                daemon.close();
                shell.err().println("agent-relay orchestrator: " + e.getMessage());
                return ExitCodes.of(e);
            }
            shell.err().println("providers: " + String.join(", ", setup.providers().keySet()) + "; base folder "
                    + setup.baseDir() + "; agents keep running when the orchestrator stops");
            stopped.await();
        }
        return ExitCodes.OK;
    }

    /** The settings of this run: flags over the configuration file over defaults. */
    record Setup(String id, Path baseDir, Map<String, InstalledProvider> providers, List<String> envKeys, Path stateDir) {
    }

    Setup setup(Map<String, String> env) {
        Path file = config;
        if (file == null && env.get("AGENT_RELAY_ORCHESTRATOR_CONFIG") != null) {
            file = Path.of(env.get("AGENT_RELAY_ORCHESTRATOR_CONFIG"));
        }
        Path home = env.get("HOME") == null ? null : Path.of(env.get("HOME"));
        if (file == null && home != null && Files.exists(home.resolve(".config/agent-relay/orchestrator.json"))) {
            file = home.resolve(".config/agent-relay/orchestrator.json");
        }
        HostConfig host = file == null ? HostConfig.empty() : HostConfig.read(file);
        String orchestratorId = id != null ? id : host.id() != null ? host.id() : shortHostname();
        Path base = baseDir != null ? baseDir : host.baseDir();
        if (base == null) {
            throw new IllegalArgumentException("give the folder agents work under: --base-dir DIR (or baseDir in the configuration file)");
        }
        Map<String, InstalledProvider> installed = new LinkedHashMap<>(host.providers());
        for (String flag : providers) {
            int equals = flag.indexOf('=');
            if (equals <= 0 || equals == flag.length() - 1) {
                throw new IllegalArgumentException("--provider takes NAME=PROGRAM, got '" + flag + "'");
            }
            String name = flag.substring(0, equals);
            installed.put(name, InstalledProvider.of(name, flag.substring(equals + 1)));
        }
        if (installed.isEmpty()) {
            for (Provider provider : Provider.values()) {
                onPath(env, provider.wire()).ifPresent(program -> installed.put(provider.wire(), InstalledProvider.of(provider.wire(), program)));
            }
        }
        if (installed.isEmpty()) {
            throw new IllegalArgumentException("no provider: neither claude nor codex is on PATH; name one with --provider claude=PROGRAM");
        }
        for (String name : installed.keySet()) {
            if (Wire.find(Provider.class, name) == null) {
                throw new IllegalArgumentException("provider " + name + " is not one the relay knows (" + Wire.choices(Provider.class) + ")");
            }
        }
        List<String> keys = new ArrayList<>(host.envKeys());
        envKeys.stream().filter(key -> !keys.contains(key)).forEach(keys::add);
        Path state = stateDir != null ? stateDir : stateHome(env, home).resolve("agent-relay").resolve("orchestrator-" + orchestratorId);
        if (!orchestratorId.matches("[A-Za-z0-9_.-]{1,80}")) {
            throw new IllegalArgumentException("--id is letters, digits, '.', '_' and '-' (at most 80), got '" + orchestratorId + "'");
        }
        return new Setup(orchestratorId, base, installed, keys, state);
    }

    private static Path stateHome(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg);
        }
        if (home == null) {
            throw new IllegalArgumentException("HOME is not set: give --state-dir DIR");
        }
        return home.resolve(".local/state");
    }

    private static java.util.Optional<String> onPath(Map<String, String> env, String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator, -1)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return java.util.Optional.of(Path.of(dir, program).toString());
            }
        }
        return java.util.Optional.empty();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String shortHostname() {
        String host = hostname();
        int dot = host.indexOf('.');
        return (dot > 0 ? host.substring(0, dot) : host).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
    }
}
