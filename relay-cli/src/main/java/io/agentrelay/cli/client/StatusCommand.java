package io.agentrelay.cli.client;

import io.agentrelay.api.AgentCard;
import io.agentrelay.client.Health;
import io.agentrelay.client.InboxQuery;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import io.agentrelay.client.Stats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Is the relay up, how busy is it, and how is this agent doing?",
                "Exit status 0 when the relay answers, 3 when it cannot be reached."})
public final class StatusCommand extends ClientCommand {
    private static final int UNREAD_LIMIT = 500;

    @Override
    protected int run(RelayClient client) {
        Health health = client.health();
        Stats stats = client.stats();
        String id = relay.agentId();
        AgentCard agent = null;
        int unread = 0;
        try {
            agent = client.agents().get(id);
            unread = client.messages().inbox(id, InboxQuery.UNREAD.withLimit(UNREAD_LIMIT)).messages().size();
        } catch (RelayException.NotFound notRegistered) {
            // reported below
        }
        if (out.json()) {
            Map<String, Object> you = new LinkedHashMap<>();
            you.put("id", id);
            you.put("registered", agent != null);
            you.put("status", agent == null ? null : agent.status());
            you.put("unread", unread);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", client.url());
            body.put("health", health);
            body.put("stats", stats);
            body.put("agent", you);
            out.json(body);
            return ExitCodes.OK;
        }
        out.line("relay    " + client.url() + "  " + health.status() + " (version " + health.version() + ", up "
                + uptime(health.uptimeMs()) + ")");
        out.line("load     " + stats.agents() + " agents (" + stats.agentsOnline() + " online), " + stats.messages()
                + " messages, " + stats.claimedMessages() + " claimed, " + stats.streams() + " live streams");
        out.line("you      " + id + (agent == null ? " — not registered (run: agent-relay register)"
                : ": " + agent.status().wire() + ", " + (unread >= UNREAD_LIMIT ? UNREAD_LIMIT + "+" : unread) + " unread"));
        return ExitCodes.OK;
    }

    private static String uptime(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return d.toHours() + "h " + d.toMinutesPart() + "m";
    }
}
