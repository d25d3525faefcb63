package io.agentrelay.cli.orchestrator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The tmux server of one orchestrator: its own socket ({@code tmux -L <socket>}), so that its
 * sessions are apart from the user's and listing them lists only managed agents. Each call runs the
 * {@code tmux} program and waits for it; arguments go to it as an argument vector, never through a
 * shell.
 */
public final class Tmux {
    private static final long TIMEOUT_SECONDS = 10;

    private final String program;
    private final String socket;

    public Tmux(String program, String socket) {
        if (!socket.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException("tmux socket names are letters, digits, '.', '_' and '-': " + socket);
        }
        this.program = program;
        this.socket = socket;
    }

    /** Whether {@code program} runs as tmux at all ({@code tmux -V}). */
    public static boolean available(String program) {
        try {
            return new Tmux(program, "probe").run(List.of("-V")).exit() == 0;
        } catch (TmuxException e) {
            return false;
        }
    }

    /** Starts a detached session running {@code script} in {@code cwd}; its window stays after the program exits. */
    public void start(String session, Path cwd, Path script) {
        requireName(session);
        // One command list, run by the server in order: remain-on-exit is on before the program can
        // end, so a dead pane (and its last output) stays for the supervisor to see and report.
        Result started = run(List.of("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                "new-session", "-d", "-s", session, "-c", cwd.toString(), "-x", "200", "-y", "50",
                script.toAbsolutePath().toString()));
        if (started.exit() != 0) {
            throw new TmuxException("tmux could not start session " + session + ": " + started.err().strip());
        }
    }

    /** Whether the session exists (its program may have exited: see {@link #running}). */
    public boolean has(String session) {
        requireName(session);
        return run(List.of("has-session", "-t", "=" + session)).exit() == 0;
    }

    /** Whether the session exists and its program has not exited. */
    public boolean running(String session) {
        requireName(session);
        Result dead = run(List.of("display-message", "-p", "-t", "=" + session + ":", "#{pane_dead}"));
        return dead.exit() == 0 && "0".equals(dead.out().strip());
    }

    /** The sessions of this server, by name; none when the server is not running. */
    public List<String> sessions() {
        Result listed = run(List.of("list-sessions", "-F", "#{session_name}"));
        if (listed.exit() != 0) {
            return List.of();
        }
        return listed.out().lines().filter(line -> !line.isBlank()).toList();
    }

    /** The process id of the session's program, while it runs. */
    public OptionalLong pid(String session) {
        requireName(session);
        Result pid = run(List.of("display-message", "-p", "-t", "=" + session + ":", "#{pane_pid}"));
        if (pid.exit() != 0 || pid.out().isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(pid.out().strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The last {@code lines} lines the session's pane shows. */
    public String capture(String session, int lines) {
        requireName(session);
        Result captured = run(List.of("capture-pane", "-p", "-t", "=" + session + ":", "-S", "-" + lines));
        return captured.exit() == 0 ? captured.out() : "";
    }

    /** Ends the session and its program; false when there was none. */
    public boolean kill(String session) {
        requireName(session);
        return run(List.of("kill-session", "-t", "=" + session)).exit() == 0;
    }

    /** Ends this server and every session of it (tests, and an orchestrator told to take its agents down). */
    public void killServer() {
        run(List.of("kill-server"));
    }

    /** Session names are ours, not a client's: letters, digits, '_' and '-' (tmux gives '.' and ':' meanings). */
    static void requireName(String session) {
        if (!session.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("not a managed session name: " + session);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.add("-L");
        command.add(socket);
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new TmuxException("cannot run " + program + ": " + e.getMessage(), e);
        }
        try {
            // tmux's answers are short: read them whole, then wait.
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TmuxException(program + " " + arguments.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out, err);
        } catch (IOException e) {
            throw new TmuxException("cannot read from " + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new TmuxException("interrupted while running " + program, e);
        }
    }

    /** tmux could not be run, or refused. */
    public static final class TmuxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TmuxException(String message) {
            super(message);
        }

        TmuxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
