package io.agentrelay.cli.orchestrator;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Provider;
import io.agentrelay.api.Wire;
import io.agentrelay.client.CommandFilter;
import io.agentrelay.client.CommandReport;
import io.agentrelay.client.LiveStream;
import io.agentrelay.client.OrchestratorRegistration;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.StreamOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator process's work: it registers with the relay, heartbeats, follows the commands
 * addressed to its inbox agent and carries them out in tmux (spawn, restart, shutdown), and
 * supervises the sessions it started, reporting them to the relay whenever they change.
 *
 * <p>Everything after {@link #start()} runs on one thread, in order: commands, heartbeats and
 * supervision never run at once, so the sessions need no locks. A command is accepted before it
 * is carried out, by a conditional move on the relay: of two orchestrators racing for one
 * command (a misconfigured pair with one id) only one runs it.
 *
 * <p>The sessions are kept in a {@link SessionBook}: an orchestrator that restarts adopts those
 * still running in its tmux server and drops the records of those that are gone.
 */
public final class OrchestratorDaemon implements AutoCloseable {
    /** How many command ids are remembered as seen (a command arrives by the list and by the stream). */
    private static final int SEEN = 4_096;

    private final RelayClient relay;
    private final OrchestratorRegistration registration;
    private final Spawner spawner;
    private final Tmux tmux;
    private final SessionBook book;
    private final Duration interval;
    private final PrintStream log;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("orchestrator").daemon(false).factory());
    private final Set<Long> seen = new LinkedHashSet<>();
    private final Map<String, SessionBook.Entry> sessions = new LinkedHashMap<>();
    private volatile String agentId;
    private volatile LiveStream commands;
    private List<ManagedAgent> reported;

    /**
     * @param registration what the orchestrator registers as (its id, host, base folder, providers)
     * @param interval     how often it heartbeats and looks at its sessions
     * @param log          where it says what it does (one line per event, for people)
     */
    public OrchestratorDaemon(RelayClient relay, OrchestratorRegistration registration, Spawner spawner, Tmux tmux,
                              SessionBook book, Duration interval, PrintStream log) {
        this.relay = relay;
        this.registration = registration;
        this.spawner = spawner;
        this.tmux = tmux;
        this.book = book;
        this.interval = interval;
        this.log = log;
    }

    /** Registers, adopts the sessions still running, and starts following commands; throws if the relay refuses. */
    public void start() throws InterruptedException {
        agentId = relay.orchestrators().register(registration).agentId();
        try {
            worker.submit(this::adopt).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot adopt the sessions of an earlier run", e.getCause());
        }
        // Follow from the log's head first, then list what is pending: a command made in between
        // arrives both ways and runs once (seen ids).
        long head = relay.events().newestEventId();
        commands = relay.commands().follow(agentId, StreamOptions.DEFAULTS.withResumeAfter(head),
                command -> submit(() -> handle(command)));
        submit(() -> {
            List<Command> pending = new ArrayList<>(relay.commands().list(
                    CommandFilter.ALL.withTarget(agentId).withStatus(CommandStatus.PENDING).withLimit(500)));
            pending.sort((a, b) -> Long.compare(a.id(), b.id()));
            pending.forEach(this::handle);
        });
        worker.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.println("orchestrator " + registration.id() + " registered at " + relay.url() + "; commands to " + agentId);
    }

    /** The inbox agent its commands are addressed to (known once started). */
    public String agentId() {
        return agentId;
    }

    private void submit(Runnable work) {
        try {
            worker.execute(work);
        } catch (RejectedExecutionException closing) {
            // stopping: the command stays pending on the relay for the next run
        }
    }

    /** Takes back the sessions of an earlier run still alive in tmux; forgets the others. */
    private void adopt() {
        for (SessionBook.Entry entry : book.all()) {
            String session = entry.managed().tmuxSession();
            if (tmux.running(session)) {
                sessions.put(session, entry);
            } else {
                tmux.kill(session);
                book.remove(session);
            }
        }
        if (!sessions.isEmpty()) {
            log.println("adopted " + sessions.size() + " running session(s): " + String.join(", ", sessions.keySet()));
        }
        reportSessions();
    }

    private void tick() {
        try {
            try {
                relay.orchestrators().heartbeat(registration.id());
            } catch (RelayException.NotFound deleted) {
                // Removed from the registry (DELETE): a live orchestrator registers again.
                relay.orchestrators().register(registration);
                reported = null;
            }
            supervise();
        } catch (RelayException e) {
            log.println("relay: " + e.getMessage() + " (trying again in " + interval.toMillis() + " ms)");
        } catch (RuntimeException e) {
            log.println("supervision failed: " + e);
        }
    }

    /** Drops the sessions whose program ended, and reports the sessions when they changed. */
    private void supervise() {
        for (String session : List.copyOf(sessions.keySet())) {
            if (!tmux.running(session)) {
                String last = tmux.capture(session, 5).strip();
                log.println("session " + session + " ended" + (last.isEmpty() ? "" : ": " + last.lines().reduce((a, b) -> b).orElse("")));
                spawner.stop(session);
                sessions.remove(session);
                book.remove(session);
            }
        }
        reportSessions();
    }

    private void reportSessions() {
        List<ManagedAgent> now = sessions.values().stream().map(entry -> managedAgent(entry.managed())).toList();
        if (now.equals(reported)) {
            return;
        }
        relay.orchestrators().reportAgents(registration.id(), now);
        reported = now;
    }

    private void handle(Command command) {
        if (command.status() != CommandStatus.PENDING || !remember(command.id())) {
            return;
        }
        try {
            relay.commands().move(command.id(), agentId, CommandStatus.ACCEPTED);
        } catch (RelayException.Conflict taken) {
            return;   // another executor accepted it, or it was canceled or expired meanwhile
        }
        try {
            relay.commands().move(command.id(), agentId, CommandStatus.RUNNING);
            Map<String, Object> result = switch (command.type()) {
                case SPAWN -> spawn(SpawnParams.from(command.params()));
                case RESTART -> restart(command.params());
                case SHUTDOWN -> shutdown(command.params());
            };
            relay.commands().report(command.id(), CommandReport.as(agentId).withStatus(CommandStatus.SUCCEEDED).withResult(result));
            log.println("command " + command.id() + " (" + command.type().wire() + ") done: " + result);
        } catch (RelayException.Conflict canceled) {
            log.println("command " + command.id() + " was canceled while it ran");
        } catch (RuntimeException e) {
            // What the host refused (a provider not installed, a folder outside the base) or tmux
            // failing: the command fails with the reason, for whoever asked.
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            log.println("command " + command.id() + " (" + command.type().wire() + ") failed: " + reason);
            try {
                relay.commands().report(command.id(), CommandReport.as(agentId).withStatus(CommandStatus.FAILED).withError(reason));
            } catch (RelayException reportFailed) {
                log.println("cannot report command " + command.id() + ": " + reportFailed.getMessage());
            }
        } finally {
            reportSessions();
        }
    }

    private Map<String, Object> spawn(SpawnParams params) {
        Spawner.Managed managed = spawner.spawn(params);
        SessionBook.Entry entry = new SessionBook.Entry(managed, params);
        book.put(entry);
        sessions.put(managed.tmuxSession(), entry);
        return started(managed);
    }

    private Map<String, Object> restart(Map<String, Object> params) {
        List<SessionBook.Entry> chosen = chosen(params);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no managed session matches " + selector(params));
        }
        List<Map<String, Object>> restarted = new ArrayList<>();
        for (SessionBook.Entry entry : chosen) {
            spawner.stop(entry.managed().tmuxSession());
            sessions.remove(entry.managed().tmuxSession());
            Spawner.Managed again = spawner.respawn(entry.managed(), entry.params());
            SessionBook.Entry next = new SessionBook.Entry(again, entry.params());
            book.put(next);
            sessions.put(again.tmuxSession(), next);
            restarted.add(started(again));
        }
        return restarted.size() == 1 ? restarted.get(0) : Map.of("restarted", restarted);
    }

    private Map<String, Object> shutdown(Map<String, Object> params) {
        List<String> stopped = new ArrayList<>();
        for (SessionBook.Entry entry : chosen(params)) {
            String session = entry.managed().tmuxSession();
            spawner.stop(session);
            sessions.remove(session);
            book.remove(session);
            stopped.add(session);
        }
        return Map.of("stopped", stopped);
    }

    /**
     * The sessions an action names: by {@code agentId}, else by {@code tmuxSession}, else by the
     * spawn request that started them ({@code spawnRequestId}), else by their spawn policy
     * ({@code policyName}), else all of them. A spawn policy's stop names its agent by whatever it
     * knows, so it never reaches the sessions of others.
     */
    private List<SessionBook.Entry> chosen(Map<String, Object> params) {
        String agent = nonBlank(params.get("agentId"));
        String session = nonBlank(params.get("tmuxSession"));
        String request = nonBlank(params.get("spawnRequestId"));
        String policy = nonBlank(params.get("policyName"));
        return sessions.values().stream()
                .filter(entry -> agent != null ? entry.managed().agentId().equals(agent)
                        : session != null ? entry.managed().tmuxSession().equals(session)
                        : request != null ? request.equals(entry.params().spawnRequestId())
                        : policy == null || policy.equals(entry.params().policyName()))
                .toList();
    }

    private static String selector(Map<String, Object> params) {
        String agent = nonBlank(params.get("agentId"));
        String session = nonBlank(params.get("tmuxSession"));
        String request = nonBlank(params.get("spawnRequestId"));
        return agent != null ? "agent " + agent : session != null ? "session " + session
                : request != null ? "spawn request " + request : "policy " + nonBlank(params.get("policyName"));
    }

    private static String nonBlank(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    private static Map<String, Object> started(Spawner.Managed managed) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("agentId", managed.agentId());
        result.put("tmuxSession", managed.tmuxSession());
        result.put("cwd", managed.cwd());
        if (managed.pid() != null) {
            result.put("pid", managed.pid());
        }
        return result;
    }

    private static ManagedAgent managedAgent(Spawner.Managed managed) {
        return new ManagedAgent(managed.agentId(), Wire.find(Provider.class, managed.provider()), managed.tmuxSession(),
                managed.cwd(), managed.label(), Wire.find(ApprovalMode.class, managed.approvalMode()), managed.pid(),
                managed.startedAt());
    }

    private boolean remember(long commandId) {
        if (!seen.add(commandId)) {
            return false;
        }
        if (seen.size() > SEEN) {
            seen.remove(seen.iterator().next());
        }
        return true;
    }

    /** Stops following commands and heartbeating; the sessions keep running (a later run adopts them). */
    @Override
    public void close() {
        LiveStream stream = commands;
        if (stream != null) {
            stream.close();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }
}
