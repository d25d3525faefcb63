package io.agentrelay.cli.client;

import io.agentrelay.api.Orchestrator;
import io.agentrelay.client.RelayClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "orchestrators", mixinStandardHelpOptions = true,
        description = {"List the orchestrators (hosts that run provider sessions in tmux) with their status",
                "and the sessions they report. Their spawn, restart and shutdown requests: 'agent-relay commands'."})
public final class OrchestratorsCommand extends ClientCommand {
    @Override
    protected int run(RelayClient client) {
        List<Orchestrator> orchestrators = client.orchestrators().list();
        if (out.json()) {
            out.json(Map.of("orchestrators", orchestrators));
        } else if (orchestrators.isEmpty()) {
            out.line("no orchestrators");
        } else {
            out.orchestrators(orchestrators, System.currentTimeMillis());
        }
        return ExitCodes.OK;
    }
}
