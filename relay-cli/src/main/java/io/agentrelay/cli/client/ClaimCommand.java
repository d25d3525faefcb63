package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.client.RelayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "claim", mixinStandardHelpOptions = true,
        description = {"Claim a claimable message for this agent: exactly one agent wins.",
                "Exit status 5 when another agent holds it (its id is printed); claiming again renews your claim."})
public final class ClaimCommand extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The message to claim.")
    long id;

    @Override
    protected int run(RelayClient client) {
        Message claimed = client.messages().claim(id, relay.agentId());
        if (out.json()) {
            out.json(claimed);
        } else {
            out.line("claimed #" + id + " until " + Output.time(claimed.claimExpiresAt()));
        }
        return ExitCodes.OK;
    }
}
