package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.client.RelayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Give back a claim this agent holds, so another agent can take the message.")
public final class ReleaseCommand extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The claimed message.")
    long id;

    @Override
    protected int run(RelayClient client) {
        Message released = client.messages().release(id, relay.agentId());
        if (out.json()) {
            out.json(released);
        } else {
            out.line("released #" + id);
        }
        return ExitCodes.OK;
    }
}
