package io.agentrelay.cli.client;

import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import java.time.Duration;

/**
 * Heartbeats for a command that runs for a while as an agent ({@code watch}): someone watching
 * for messages is there, and must not go stale and lose their claims while they wait.
 *
 * <p>Only heartbeats, never a registration: the card belongs to whoever registered it. An agent
 * that is not registered (404) is left alone, and so is any other failure, which the next beat
 * retries; the stream itself reports an unreachable relay.
 */
final class Pulse implements AutoCloseable {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(20);

    private final Thread thread;

    private Pulse(Thread thread) {
        this.thread = thread;
    }

    static Pulse start(RelayClient client, String agentId, Duration interval) {
        return new Pulse(Thread.ofVirtual().name("watch-heartbeat").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    beat(client, agentId);
                    Thread.sleep(interval);
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    private static void beat(RelayClient client, String agentId) {
        try {
            client.agents().heartbeat(agentId);
        } catch (RelayException notNow) {
            // not registered, or the relay is away: the next beat tries again
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
