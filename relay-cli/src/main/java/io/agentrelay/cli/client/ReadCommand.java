package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.client.RelayClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "read", mixinStandardHelpOptions = true,
        description = {"Show messages in full and mark them read for this agent.",
                "With --all and no ids, mark every unread message read."})
public final class ReadCommand extends ClientCommand {
    @Parameters(paramLabel = "ID", arity = "0..*", description = "Message ids.")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--all", description = "Mark every unread message of this agent read (prints how many).")
    boolean all;

    @Override
    protected int run(RelayClient client) {
        String agentId = relay.agentId();
        if (ids.isEmpty() && !all) {
            throw Args.usage(spec, "give message ids, or --all to mark every unread message read");
        }
        if (all && ids.isEmpty()) {
            List<Long> marked = client.messages().markReadUpTo(agentId, Long.MAX_VALUE);
            if (out.json()) {
                out.json(Map.of("agentId", agentId, "marked", marked));
            } else {
                out.line("marked " + marked.size() + " message" + (marked.size() == 1 ? "" : "s") + " read for " + agentId);
            }
            return ExitCodes.OK;
        }
        List<Message> messages = new ArrayList<>();
        for (long id : ids) {
            messages.add(client.messages().get(id));
        }
        client.messages().markRead(agentId, ids);
        if (out.json()) {
            out.json(Map.of("messages", messages.stream().map(m -> m.withRead(true)).toList()));
        } else {
            for (int i = 0; i < messages.size(); i++) {
                if (i > 0) {
                    out.line("");
                }
                out.full(messages.get(i));
            }
        }
        return ExitCodes.OK;
    }
}
