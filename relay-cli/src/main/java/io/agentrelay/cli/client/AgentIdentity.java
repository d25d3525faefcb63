package io.agentrelay.cli.client;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Generated agent ids, {@code {hostname}-{rig}-{project}-{session-hash}} as the TypeScript relay's
 * provider integrations make them: which machine, which agent harness ({@code claude},
 * {@code codex}, {@code shell}, ...), which project, which session.
 *
 * <p>The session is what makes two sessions in one project distinct and — the point of the scheme —
 * what lets separate processes of <em>one</em> session agree on the id without talking to each
 * other: the MCP server a Claude Code session spawns and the hook scripts it runs each compute the
 * same id. Its key is {@code AGENT_RELAY_SESSION} when set; otherwise the nearest ancestor process
 * that is not a shell (the agent harness itself: Claude Code, Codex, a terminal), by pid and start
 * time. See docs/cli.md.
 */
public record AgentIdentity(String hostname, String rig, String project, String sessionHash) {
    /** Processes passed over when looking for the session's owner: shells and exec wrappers. */
    private static final Set<String> WRAPPERS = Set.of("sh", "bash", "dash", "zsh", "ksh", "mksh", "fish", "tcsh",
            "csh", "busybox", "env", "timeout", "nohup", "setsid", "stdbuf", "time", "sudo", "agent-relay");

    public String id() {
        return hostname + "-" + rig + "-" + project + "-" + sessionHash;
    }

    /**
     * The identity of this process's session. Each part may be set: {@code AGENT_RELAY_RIG}
     * (default {@code defaultRig}), {@code AGENT_RELAY_PROJECT} (default: the name of the enclosing
     * git work tree, else of {@code cwd}), {@code AGENT_RELAY_SESSION} (default: the owning process).
     */
    public static AgentIdentity generate(Map<String, String> env, Path cwd, String defaultRig) {
        String rig = nonBlank(env.get("AGENT_RELAY_RIG")).orElse(defaultRig);
        String project = nonBlank(env.get("AGENT_RELAY_PROJECT")).orElseGet(() -> projectName(cwd));
        String session = nonBlank(env.get("AGENT_RELAY_SESSION")).orElseGet(AgentIdentity::owningProcess);
        String host = machineName(env);
        int dot = host.indexOf('.');
        String shortHost = dot > 0 ? host.substring(0, dot) : host;
        return new AgentIdentity(slug(shortHost), slug(rig), slug(project), hash(host + "\n" + session));
    }

    /** The session key of this process: its nearest ancestor that is not a shell, by pid and start. */
    static String owningProcess() {
        // Skip ourselves (a JVM) and every wrapper above us; the first other process owns the session.
        return key(owner().orElse(ProcessHandle.current()));
    }

    /**
     * The working directory of the session: that of the process that owns it (see
     * {@link #owningProcess()}), where the agent harness was started — the project. A server the
     * harness spawns may run elsewhere: Codex starts MCP servers in {@code CODEX_HOME}, which made
     * that folder the "project" of every Codex agent id. Falls back to this process's own working
     * directory where the owner's cannot be read (not Linux, another user's process).
     */
    public static Path sessionDirectory() {
        Path own = Path.of("").toAbsolutePath();
        Optional<ProcessHandle> owner = owner();
        if (owner.isEmpty()) {
            return own;
        }
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(owner.get().pid()), "cwd"));
            return cwd.isAbsolute() && Files.isDirectory(cwd) ? cwd : own;
        } catch (IOException | UnsupportedOperationException | SecurityException unreadable) {
            return own;
        }
    }

    /** The nearest ancestor that is not a shell or a wrapper; empty when there is none. */
    private static Optional<ProcessHandle> owner() {
        Optional<ProcessHandle> candidate = ProcessHandle.current().parent();
        while (candidate.isPresent()) {
            ProcessHandle process = candidate.get();
            String name = process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
            if (!WRAPPERS.contains(name) || process.parent().isEmpty()) {
                return Optional.of(process);
            }
            candidate = process.parent();
        }
        return Optional.empty();
    }

    private static String key(ProcessHandle process) {
        return process.pid() + "@" + process.info().startInstant().map(Object::toString).orElse("?");
    }

    static String projectName(Path cwd) {
        Path dir = cwd.toAbsolutePath().normalize();
        for (Path probe = dir; probe != null; probe = probe.getParent()) {
            if (Files.exists(probe.resolve(".git"))) {
                return name(probe);
            }
        }
        return name(dir);
    }

    private static String name(Path dir) {
        return dir.getFileName() == null ? "root" : dir.getFileName().toString();
    }

    /** This machine's name: the kernel's host name, else HOSTNAME or COMPUTERNAME, else DNS. */
    public static String machineName(Map<String, String> env) {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through
        }
        Optional<String> fromEnv = nonBlank(env.get("HOSTNAME")).or(() -> nonBlank(env.get("COMPUTERNAME")));
        if (fromEnv.isPresent()) {
            return fromEnv.get();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Lower case letters and digits with single dashes between, at most 40 characters. */
    static String slug(String raw) {
        String value = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (value.length() > 40) {
            value = value.substring(0, 40).replaceAll("-+$", "");
        }
        return value.isEmpty() ? "x" : value;
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
