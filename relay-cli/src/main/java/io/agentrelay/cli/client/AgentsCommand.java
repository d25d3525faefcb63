package io.agentrelay.cli.client;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.client.AgentFilter;
import io.agentrelay.client.RelayClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agents", mixinStandardHelpOptions = true, description = "List the agents the relay knows.")
public final class AgentsCommand extends ClientCommand {
    @Option(names = "--status", description = "Only agents with this status (online, idle, busy, stale, offline).")
    String status;

    @Option(names = "--tag", description = "Only agents with this tag.")
    String tag;

    @Option(names = "--cap", description = "Only agents with this capability.")
    String capability;

    @Option(names = "--kind", description = "Only agents of this kind.")
    String kind;

    @Override
    protected int run(RelayClient client) {
        AgentFilter filter = AgentFilter.ALL.withStatus(Args.choice(spec, "--status", status, AgentStatus.class))
                .withKind(Args.choice(spec, "--kind", kind, AgentKind.class)).withTag(tag).withCapability(capability);
        List<AgentCard> agents = client.agents().list(filter);
        if (out.json()) {
            out.json(Map.of("agents", agents));
        } else if (agents.isEmpty()) {
            out.line("no agents");
        } else {
            out.agents(agents, System.currentTimeMillis());
        }
        return ExitCodes.OK;
    }
}
