package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SendMessage;
import io.agentrelay.client.Sent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "reply", mixinStandardHelpOptions = true,
        description = "Reply to a message: sent to its sender, in its thread. BODY '-' reads standard input.")
public final class ReplyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The message to reply to.")
    long id;

    @Parameters(index = "1", paramLabel = "BODY", description = "The reply text; '-' reads it from standard input.")
    String body;

    @Mixin
    SendCommand.MessageFields fields = new SendCommand.MessageFields();

    @Override
    protected int run(RelayClient client) {
        Message original = client.messages().get(id);
        SendMessage.Builder reply = SendMessage.builder(relay.agentId(), original.from(), Args.textOrStdin(spec, relay.shell(), body))
                .replyTo(id);
        fields.applyTo(spec, reply);
        if (fields.channel == null && original.channel() != null) {
            reply.channel(original.channel());
        }
        Sent sent = client.messages().send(reply.build());
        SendCommand.print(out, sent, "replied #" + sent.message().id() + " to " + original.from()
                + " (thread #" + sent.message().threadId() + ")");
        return ExitCodes.OK;
    }
}
