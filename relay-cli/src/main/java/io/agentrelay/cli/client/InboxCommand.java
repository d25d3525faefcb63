package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.client.Inbox;
import io.agentrelay.client.InboxQuery;
import io.agentrelay.client.RelayClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "inbox", mixinStandardHelpOptions = true,
        description = {"List the messages that concern this agent, oldest first: unread ones by default.",
                "Messages reach an agent by its id, its tags, capabilities and label, and broadcasts."})
public final class InboxCommand extends ClientCommand {
    @Option(names = "--all", description = "Read ones too.")
    boolean all;

    @Option(names = "--since", paramLabel = "ID", description = "Only messages with an id above ID (the cursor of an earlier call).")
    long since;

    @Option(names = "--limit", description = "At most this many (1-500, default 100).")
    Integer limit;

    @Option(names = "--channel", description = "Only messages on this channel.")
    String channel;

    @Option(names = "--kind", description = "Only messages of this kind.")
    String kind;

    @Option(names = "--mark-read", description = "Mark the listed messages read.")
    boolean markRead;

    @Override
    protected int run(RelayClient client) {
        String agentId = relay.agentId();
        InboxQuery query = (all ? InboxQuery.ALL : InboxQuery.UNREAD).withSince(since).withChannel(channel)
                .withKind(Args.choice(spec, "--kind", kind, MessageKind.class));
        if (limit != null) {
            query = query.withLimit(limit);
        }
        Inbox inbox = client.messages().inbox(agentId, query);
        List<Message> messages = inbox.messages();
        if (markRead && !messages.isEmpty()) {
            client.messages().markRead(agentId, messages.stream().map(Message::id).toList());
        }
        if (out.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("agentId", agentId);
            body.put("messages", messages);
            body.put("cursor", inbox.cursor());
            out.json(body);
        } else if (messages.isEmpty()) {
            out.line("no " + (all ? "" : "unread ") + "messages for " + agentId);
        } else {
            messages.forEach(out::summary);
        }
        return ExitCodes.OK;
    }
}
