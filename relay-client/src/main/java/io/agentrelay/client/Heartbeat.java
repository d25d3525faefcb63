package io.agentrelay.client;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps one agent registered and online from a virtual thread; see {@link Agents#keepAlive}.
 *
 * <p>Each beat: register when not (yet) registered, else heartbeat with the session guard of the
 * registration. A 404 (the relay pruned the agent) registers again at once. A 409 stale session (a
 * newer process registered the same id with another {@code instanceId}) stops the loop for good,
 * and {@link #close()} then leaves the agent alone: it belongs to the newer process. Other failures
 * are kept in {@link #lastError()} and retried at the next beat.
 *
 * <p>Thread-safe: beats are serialized by a lock, so {@link #beat()} may be called from any thread.
 */
public final class Heartbeat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());

    private final Agents agents;
    private final Registration registration;
    private final Duration interval;
    private final ReentrantLock beating = new ReentrantLock();
    private volatile AgentCard agent;
    private volatile RelayException lastError;
    private volatile boolean superseded;
    private volatile boolean stopped;
    private Thread thread;
    private volatile Runnable onClosed = () -> { };

    private Heartbeat(Agents agents, Registration registration, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.agents = agents;
        this.registration = registration;
        this.interval = interval;
    }

    static Heartbeat start(Agents agents, Registration registration, Duration interval) {
        Heartbeat heartbeat = new Heartbeat(agents, registration, interval);
        heartbeat.beat();
        heartbeat.thread = Thread.ofVirtual().name("relay-heartbeat-" + registration.id()).start(heartbeat::loop);
        return heartbeat;
    }

    /** The agent id this loop keeps alive. */
    public String agentId() {
        return registration.id();
    }

    /** The card from the last successful registration, or null before the first one. */
    public AgentCard agent() {
        return agent;
    }

    /** True once registered at least once. */
    public boolean registered() {
        return agent != null;
    }

    /** The guard this session writes with: its instance id and the epoch it registered at. */
    public SessionGuard guard() {
        AgentCard card = agent;
        return card == null ? new SessionGuard(registration.instanceId(), null) : SessionGuard.of(card);
    }

    /** The failure of the last beat, or null when it succeeded. */
    public RelayException lastError() {
        return lastError;
    }

    /** True when a newer process took over the agent id; the loop has stopped. */
    public boolean superseded() {
        return superseded;
    }

    /** Beats once, now. Returns whether the beat reached the relay and was accepted. */
    public boolean beat() {
        beating.lock();
        try {
            if (superseded) {
                return false;
            }
            if (agent == null) {
                agent = agents.register(registration).agent();
            } else {
                try {
                    agents.heartbeat(registration.id(), guard(), null);
                } catch (RelayException.NotFound pruned) {
                    agent = agents.register(registration).agent();
                }
            }
            lastError = null;
            return true;
        } catch (RelayException.Conflict conflict) {
            lastError = conflict;
            if (conflict.staleSession()) {
                superseded = true;
                stopped = true;
                LOG.log(System.Logger.Level.WARNING, "agent {0} was registered by a newer process; "
                        + "this one stops heartbeating", registration.id());
            }
            return false;
        } catch (RelayException e) {
            lastError = e;
            return false;
        } finally {
            beating.unlock();
        }
    }

    /** Stops beating; the agent stays as it is and goes stale on the relay's own schedule. */
    public void stop() {
        stopped = true;
        Thread running = thread;
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
    }

    /** Stops beating and marks the agent offline (unless a newer process owns it now). */
    @Override
    public void close() {
        stop();
        onClosed.run();
        beating.lock();
        try {
            if (superseded || agent == null) {
                return;
            }
            agents.heartbeat(registration.id(), guard(), AgentStatus.OFFLINE);
        } catch (RelayException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not mark {0} offline: {1}", registration.id(), e.getMessage());
        } finally {
            beating.unlock();
        }
    }

    void whenClosed(Runnable action) {
        this.onClosed = action;
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                beat();
            }
        }
    }
}
