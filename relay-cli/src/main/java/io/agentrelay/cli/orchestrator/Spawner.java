package io.agentrelay.cli.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts managed agents in tmux on this host, from spawn requests, within what the administrator
 * set up: only installed {@link InstalledProvider}s run, only in directories under the base directory (by
 * their real path: a symbolic link out of it is refused), with only allowed extra arguments, and
 * with an environment made of a few basics, the administrator's {@code envKeys} and the relay's
 * own variables (never the rest of the orchestrator's environment).
 */
public final class Spawner {
    /** Passed from the orchestrator's environment to every agent when set: what a terminal program needs. */
    static final Set<String> BASIC_ENVIRONMENT = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL",
            "LC_CTYPE", "TERM", "TMPDIR", "TZ");
    /** Managed sessions' names start with this; the orchestrator's tmux server holds nothing else. */
    static final String SESSION_PREFIX = "ar-";
    /** How long a stopped session's program has to exit after tmux hangs up on it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Settings settings;
    private final Tmux tmux;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * What this orchestrator is on its host.
     *
     * @param orchestratorId the orchestrator's id (agents learn it in {@code AGENT_RELAY_ORCHESTRATOR_ID})
     * @param baseDir        the directory agents work under (made real: symbolic links resolved)
     * @param relayUrl       the relay agents talk to
     * @param token          the relay token agents use, or null
     * @param environment    the orchestrator's own environment, from which basics and {@code envKeys} are taken
     * @param envKeys        the administrator's extra variables passed to agents
     * @param providers      the installed providers, by name
     * @param scripts        where launch scripts are written (owner-only)
     */
    public record Settings(String orchestratorId, Path baseDir, String relayUrl, String token,
                           Map<String, String> environment, List<String> envKeys, Map<String, InstalledProvider> providers,
                           Path scripts) {
        public Settings {
            environment = Map.copyOf(environment);
            envKeys = List.copyOf(envKeys);
            providers = Map.copyOf(providers);
            try {
                baseDir = baseDir.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("the base directory " + baseDir + " does not exist", e);
            }
            if (!Files.isDirectory(baseDir)) {
                throw new IllegalArgumentException("the base directory " + baseDir + " is not a directory");
            }
        }
    }

    /** A managed agent this orchestrator started: the fields of the relay's {@code ManagedAgent}. */
    public record Managed(String agentId, String provider, String tmuxSession, String cwd, String label,
                          String approvalMode, Long pid, long startedAt) {
    }

    public Spawner(Settings settings, Tmux tmux, Clock clock) {
        this.settings = settings;
        this.tmux = tmux;
        this.clock = clock;
    }

    /**
     * Starts the agent a request asks for, or throws {@link IllegalArgumentException} saying why it
     * may not run here (the command then fails with that reason).
     */
    public Managed spawn(SpawnParams request) {
        return spawn(request, HexFormat.of().formatHex(bytes(4)));
    }

    /**
     * Starts {@code previous}'s request again under its session name and agent id (a restart: the
     * agent keeps its identity, and messages addressed to it still reach it). The previous session
     * must have been stopped.
     */
    public Managed respawn(Managed previous, SpawnParams request) {
        String prefix = SESSION_PREFIX + request.provider() + "-";
        if (!previous.tmuxSession().startsWith(prefix)) {
            throw new IllegalArgumentException("session " + previous.tmuxSession() + " did not run provider " + request.provider());
        }
        return spawn(request, previous.tmuxSession().substring(prefix.length()));
    }

    private Managed spawn(SpawnParams request, String suffix) {
        InstalledProvider provider = settings.providers().get(request.provider());
        if (provider == null) {
            throw new IllegalArgumentException("provider " + request.provider() + " is not installed on this orchestrator"
                    + " (installed: " + String.join(", ", settings.providers().keySet().stream().sorted().toList()) + ")");
        }
        Path cwd = workingDirectory(request.cwd());
        List<String> argv = new ArrayList<>(provider.command());
        for (String argument : request.providerArgs()) {
            if (!provider.allows(argument)) {
                throw new IllegalArgumentException("provider argument '" + argument + "' is not allowed for " + provider.name()
                        + " on this orchestrator");
            }
            argv.add(argument);
        }
        if (request.prompt() != null && !request.prompt().isBlank()) {
            if (!provider.promptAsArgument()) {
                throw new IllegalArgumentException("provider " + provider.name() + " takes no prompt on this orchestrator");
            }
            argv.add(request.prompt());
        }
        String session = SESSION_PREFIX + provider.name() + "-" + suffix;
        String agentId = settings.orchestratorId() + "-" + provider.name() + "-" + suffix;
        LaunchScript script = new LaunchScript(environment(request, agentId), argv);
        Path file;
        try {
            file = script.writeTo(Files.createDirectories(settings.scripts()).resolve(session + ".sh"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the launch script of " + session, e);
        }
        tmux.start(session, cwd, file);
        OptionalLong pid = tmux.pid(session);
        return new Managed(agentId, provider.name(), session, cwd.toString(), request.label(), request.approvalMode(),
                pid.isPresent() ? pid.getAsLong() : null, clock.millis());
    }

    /**
     * Ends a managed session and waits until its program has exited: tmux hangs up on it, and one
     * that has not exited after {@link #STOP_GRACE} is killed. False when there was no session.
     */
    public boolean stop(String session) {
        if (!session.startsWith(SESSION_PREFIX)) {
            throw new IllegalArgumentException("session " + session + " is not one this orchestrator manages");
        }
        Optional<ProcessHandle> program = tmux.running(session) ? processOf(tmux.pid(session)) : Optional.empty();
        boolean ended = tmux.kill(session);
        program.ifPresent(Spawner::awaitExit);
        try {
            Files.deleteIfExists(settings.scripts().resolve(session + ".sh"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ended;
    }

    /**
     * The request's directory made real, which must lie under the base directory: absent means the
     * base directory itself; relative paths are refused (relative to what, on another host?).
     */
    Path workingDirectory(String requested) {
        if (requested == null || requested.isBlank()) {
            return settings.baseDir();
        }
        Path path = Path.of(requested);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("cwd must be an absolute path, got '" + requested + "'");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cwd " + requested + " does not exist on this host", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cwd " + requested + " cannot be used: " + e.getMessage(), e);
        }
        if (!real.startsWith(settings.baseDir())) {
            throw new IllegalArgumentException("cwd must be within orchestrator base directory: " + settings.baseDir()
                    + (real.equals(path) ? "" : " (" + requested + " is " + real + ")"));
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("cwd " + requested + " is not a directory");
        }
        return real;
    }

    private static Optional<ProcessHandle> processOf(OptionalLong pid) {
        return pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
    }

    /** Waits for a hung-up program to exit, and kills it if it will not. */
    private static void awaitExit(ProcessHandle program) {
        try {
            program.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stubborn) {
            program.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for process " + program.pid(), e);
        }
    }

    private Map<String, String> environment(SpawnParams request, String agentId) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.environment().forEach((name, value) -> {
            if (BASIC_ENVIRONMENT.contains(name) || settings.envKeys().contains(name)) {
                env.put(name, value);
            }
        });
        env.putIfAbsent("TERM", "xterm-256color");
        env.put("AGENT_RELAY_URL", settings.relayUrl());
        if (settings.token() != null) {
            env.put("AGENT_RELAY_TOKEN", settings.token());
        }
        env.put("AGENT_RELAY_AGENT_ID", agentId);
        env.put("AGENT_RELAY_ORCHESTRATOR_ID", settings.orchestratorId());
        env.put("AGENT_RELAY_APPROVAL", request.approvalMode());
        putIfSet(env, "AGENT_RELAY_LABEL", request.label());
        putIfSet(env, "AGENT_RELAY_TAGS", request.tags().isEmpty() ? null : String.join(",", request.tags()));
        putIfSet(env, "AGENT_RELAY_CAPS", request.capabilities().isEmpty() ? null : String.join(",", request.capabilities()));
        putIfSet(env, "AGENT_RELAY_POLICY", request.policyName());
        putIfSet(env, "AGENT_RELAY_SPAWN_REQUEST_ID", request.spawnRequestId());
        putIfSet(env, "AGENT_RELAY_POOL", request.pool());
        return env;
    }

    private static void putIfSet(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value);
        }
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
