package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.client.RelayClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "thread", mixinStandardHelpOptions = true,
        description = "Show the whole reply chain a message belongs to, oldest first.")
public final class ThreadCommand extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "Any message of the thread.")
    long id;

    @Override
    protected int run(RelayClient client) {
        List<Message> thread = client.messages().thread(id);
        if (out.json()) {
            out.json(Map.of("messages", thread));
        } else {
            for (int i = 0; i < thread.size(); i++) {
                if (i > 0) {
                    out.line("");
                }
                out.full(thread.get(i));
            }
        }
        return ExitCodes.OK;
    }
}
