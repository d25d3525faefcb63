package io.agentrelay.cli.client;

import io.agentrelay.api.AgentStatus;
import io.agentrelay.client.Presence;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SessionGuard;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "heartbeat", mixinStandardHelpOptions = true,
        description = {"Tell the relay this agent is alive (a stale or offline agent comes back online).",
                "With --status, also set the status: e.g. 'heartbeat --status offline' when a session ends."})
public final class HeartbeatCommand extends ClientCommand {
    @Option(names = "--status", description = "online, idle, busy, stale or offline.")
    String status;

    @Override
    protected int run(RelayClient client) {
        String id = relay.agentId();
        Presence presence = client.agents().heartbeat(id, SessionGuard.NONE, Args.choice(spec, "--status", status, AgentStatus.class));
        if (out.json()) {
            out.json(Map.of("agentId", id, "status", presence.status(), "epoch", presence.epoch()));
        } else {
            out.line(id + " is " + presence.status().wire() + " (epoch " + presence.epoch() + ")");
        }
        return ExitCodes.OK;
    }
}
