package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.RelayEvent;
import io.agentrelay.client.EventFilter;
import io.agentrelay.client.EventListener;
import io.agentrelay.client.LiveStream;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.StreamOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Print messages for this agent as they arrive, until interrupted (Ctrl-C).",
                "Survives relay restarts: it reconnects and resumes where it left off, missing nothing.",
                "Your own messages are not shown. --json prints one event per line.",
                "For scripts: 'watch --count 1 --timeout 60' waits up to a minute for the next message "
                        + "(exit status 7 when none came)."})
public final class WatchCommand extends ClientCommand {
    @Option(names = "--all-events", description = "Every event that concerns this agent (claims, reads, presence), not only new messages.")
    boolean allEvents;

    @Option(names = "--everyone", description = "Every agent's events, not only this agent's (a relay-wide tail).")
    boolean everyone;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N events.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Exit after this many seconds.")
    Long timeoutSeconds;

    @Option(names = "--since-event", paramLabel = "ID", description = "Start after this event id (replaying what followed it) instead of now.")
    Long sinceEvent;

    @Override
    protected int run(RelayClient client) throws InterruptedException {
        if (count != null && count < 1) {
            throw Args.usage(spec, "--count must be at least 1");
        }
        String self = relay.agentId();
        EventFilter filter = everyone ? EventFilter.ALL : EventFilter.forAgent(self);
        if (!allEvents) {
            filter = filter.withTypes(EventFilter.MESSAGE_NEW);
        }
        StreamOptions options = sinceEvent == null ? StreamOptions.DEFAULTS : StreamOptions.DEFAULTS.withResumeAfter(sinceEvent);
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger shown = new AtomicInteger();
        AtomicReference<RelayException> failure = new AtomicReference<>();
        EventListener listener = new EventListener() {
            @Override
            public void onEvent(RelayEvent event) {
                if (!allEvents && !everyone && isOwnMessage(event, self)) {
                    return;
                }
                print(event);
                if (count != null && shown.incrementAndGet() >= count) {
                    done.countDown();
                }
            }

            @Override
            public void onConnected(long resumedAfter) {
                if (!out.json()) {
                    err().println("agent-relay: watching " + (everyone ? "every agent" : self) + " on " + client.url()
                            + " (after event " + resumedAfter + ")");
                }
            }

            @Override
            public void onDisconnected(Throwable cause, Duration retryIn) {
                if (retryIn == null) {
                    failure.set(cause instanceof RelayException e ? e : null);
                    done.countDown();
                    return;
                }
                err().println("agent-relay: disconnected" + (cause == null ? "" : " (" + cause.getMessage() + ")")
                        + "; retrying in " + retryIn.toMillis() + " ms");
            }
        };
        // A watching agent is there: it heartbeats, so it neither goes stale nor loses its claims.
        Pulse pulse = Pulse.start(client, self, heartbeatInterval(relay.env()));
        try (pulse; LiveStream stream = client.events().subscribe(filter, options, listener)) {
            boolean finished = timeoutSeconds == null ? await(done) : done.await(timeoutSeconds, TimeUnit.SECONDS);
            if (stream.failure() != null) {
                throw stream.failure();
            }
            if (!finished && count != null) {
                err().println("agent-relay: " + shown.get() + " of " + count + " events arrived within " + timeoutSeconds + " s");
                return ExitCodes.TIMED_OUT;
            }
        }
        return ExitCodes.OK;
    }

    /** AGENT_RELAY_HEARTBEAT_MS, as for 'agent-relay mcp' (default 20 s). */
    private Duration heartbeatInterval(java.util.Map<String, String> env) {
        String raw = env.get("AGENT_RELAY_HEARTBEAT_MS");
        if (raw == null || raw.isBlank()) {
            return Pulse.DEFAULT_INTERVAL;
        }
        try {
            long millis = Long.parseLong(raw.trim());
            if (millis >= 100) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Args.usage(spec, "AGENT_RELAY_HEARTBEAT_MS must be a whole number of milliseconds >= 100, got '" + raw + "'");
    }

    private static boolean await(CountDownLatch done) throws InterruptedException {
        done.await();
        return true;
    }

    private static boolean isOwnMessage(RelayEvent event, String self) {
        return EventFilter.MESSAGE_NEW.equals(event.type()) && self.equals(event.data().path("from").asText());
    }

    private void print(RelayEvent event) {
        if (out.json()) {
            out.json(event);
            return;
        }
        JsonNode data = event.data();
        switch (event.type()) {
            case EventFilter.MESSAGE_NEW -> out.summary(message(data));
            case EventFilter.MESSAGE_CLAIMED -> out.line("#" + data.path("id").asText() + " claimed by " + data.path("claimedBy").asText());
            case EventFilter.MESSAGE_CLAIM_RELEASED -> out.line("#" + data.path("messageId").asText() + " released by "
                    + data.path("agentId").asText() + " (" + data.path("reason").asText() + ")");
            case EventFilter.MESSAGE_READ -> out.line(data.path("agentId").asText() + " read " + data.path("messageIds"));
            case EventFilter.MESSAGE_DELETED -> out.line("#" + data.path("messageId").asText() + " deleted");
            case EventFilter.AGENT_REGISTERED, EventFilter.AGENT_STATUS -> out.line("agent " + data.path("id").asText()
                    + " is " + data.path("status").asText());
            case EventFilter.AGENT_REMOVED -> out.line("agent " + data.path("agentId").asText() + " removed");
            default -> out.line(event.type() + " " + data);
        }
    }

    private static Message message(JsonNode data) {
        try {
            return Json.mapper().treeToValue(data, Message.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message.new event without a message: " + data, e);
        }
    }
}
