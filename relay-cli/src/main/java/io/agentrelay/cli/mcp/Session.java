package io.agentrelay.cli.mcp;

import io.agentrelay.client.EventFilter;
import io.agentrelay.client.Heartbeat;
import io.agentrelay.client.LiveStream;
import io.agentrelay.client.Registration;
import io.agentrelay.client.RelayClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This MCP server's agent on the relay, registered <em>lazily</em>: on the first tool call, not at
 * start. A client that only starts the server to see that it answers ({@code claude mcp list} and
 * other health checks run {@code initialize} and exit) leaves no throwaway agent behind; a session
 * that uses the relay registers before its first call acts. From then on it heartbeats and follows
 * the agent's live stream (for {@code wait_for_message}); {@link #close()} marks it offline.
 * Thread-safe (monitor).
 */
final class Session implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final RelayClient relay;
    private final Registration registration;
    private final Duration interval;
    private final Arrivals arrivals;
    private Heartbeat heartbeat;
    private LiveStream stream;
    private boolean closed;

    Session(RelayClient relay, Registration registration, Duration interval) {
        this.relay = relay;
        this.registration = registration;
        this.interval = interval;
        this.arrivals = new Arrivals(registration.id());
    }

    String agentId() {
        return registration.id();
    }

    Arrivals arrivals() {
        return arrivals;
    }

    /** The heartbeat loop of this agent, started (and the agent registered) on the first call. */
    synchronized Heartbeat heartbeat() {
        if (heartbeat == null) {
            if (closed) {
                throw new IllegalStateException("the MCP server is shutting down");
            }
            stream = relay.events().subscribe(EventFilter.forAgent(agentId()).withTypes(EventFilter.MESSAGE_NEW), arrivals);
            heartbeat = relay.agents().keepAlive(registration, interval);
            if (heartbeat.registered()) {
                LOG.info("registered as agent {} on {}", agentId(), relay.url());
            } else {
                LOG.warn("could not register agent {} on {} yet ({}); tools will retry", agentId(), relay.url(),
                        heartbeat.lastError() == null ? "unknown" : heartbeat.lastError().getMessage());
            }
        }
        return heartbeat;
    }

    /** Ends waits for messages at once: the client has gone, their answers are due now. */
    void wakeWaiters() {
        arrivals.close();
    }

    /** Marks the agent offline (unless a newer session took over its id), if it ever registered. */
    @Override
    public synchronized void close() {
        closed = true;
        arrivals.close();
        if (stream != null) {
            stream.close();
        }
        if (heartbeat != null) {
            heartbeat.close();
            LOG.info("agent {} is offline", agentId());
        }
    }
}
