package io.agentrelay.cli.client;

import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SendMessage;
import io.agentrelay.client.Sent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a message from this agent.",
                "TO is an agent id, tag:NAME, cap:NAME, label:NAME or broadcast. BODY '-' reads standard input.",
                "Example: agent-relay send cap:review \"Review PR #42\" --claimable"})
public final class SendCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TO", description = "Target: agent id, tag:x, cap:x, label:x or broadcast.")
    String to;

    @Parameters(index = "1", paramLabel = "BODY", description = "The message text; '-' reads it from standard input.")
    String body;

    @Mixin
    MessageFields fields = new MessageFields();

    @Option(names = "--kind", description = "chat (default), task, control, system, pair or channel.event.")
    String kind;

    @Option(names = "--reply-to", paramLabel = "ID", description = "Reply in the thread of message ID.")
    Long replyTo;

    @Override
    protected int run(RelayClient client) {
        SendMessage.Builder message = SendMessage.builder(relay.agentId(), to, Args.textOrStdin(spec, relay.shell(), body))
                .kind(Args.choice(spec, "--kind", kind, MessageKind.class));
        if (replyTo != null) {
            message.replyTo(replyTo);
        }
        fields.applyTo(spec, message);
        Sent sent = client.messages().send(message.build());
        print(out, sent, "sent #" + sent.message().id() + " to " + sent.message().to());
        return ExitCodes.OK;
    }

    static void print(Output out, Sent sent, String text) {
        Message message = sent.message();
        if (out.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", message);
            body.put("created", sent.created());
            out.json(body);
        } else {
            out.line(text + (sent.created() ? "" : " (already sent earlier with this idempotency key)"));
        }
    }

    /** The optional message fields that send and reply share. */
    static final class MessageFields {
        @Option(names = {"-s", "--subject"}, description = "A subject line.")
        String subject;

        @Option(names = {"-c", "--claimable"}, description = "Claimable work: exactly one recipient can claim it.")
        boolean claimable;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Sending again with the same key returns the first message instead of a new one.")
        String idempotencyKey;

        @Option(names = "--channel", description = "A channel name.")
        String channel;

        @Option(names = "--max-age", paramLabel = "SECONDS", description = "Expire the message after this many seconds.")
        Integer maxAgeSeconds;

        @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata entry; repeatable.")
        List<String> meta;

        @Option(names = "--meta-json", paramLabel = "JSON", description = "Metadata as a JSON object.")
        String metaJson;

        @Option(names = "--payload", paramLabel = "KEY=VALUE", description = "Payload entry; repeatable.")
        List<String> payload;

        @Option(names = "--payload-json", paramLabel = "JSON", description = "Payload as a JSON object.")
        String payloadJson;

        void applyTo(picocli.CommandLine.Model.CommandSpec spec, SendMessage.Builder message) {
            message.subject(subject).claimable(claimable).idempotencyKey(idempotencyKey).channel(channel)
                    .meta(Args.object(spec, "--meta", meta, "--meta-json", metaJson))
                    .payload(Args.object(spec, "--payload", payload, "--payload-json", payloadJson));
            if (maxAgeSeconds != null) {
                message.maxAgeSeconds(maxAgeSeconds);
            }
        }
    }
}
