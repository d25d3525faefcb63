package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.client.Channels;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SessionGuard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay channels list|bindings|bind|unbind|event|activity}: channels and their bindings. */
@Command(name = "channels", mixinStandardHelpOptions = true,
        description = {"Channels are agents that bridge an outside conversation system (kind channel).",
                "List them and their bindings, bind and unbind, and post an event or activity as a channel."},
        subcommands = {ChannelsCommand.ListChannels.class, ChannelsCommand.Bindings.class, ChannelsCommand.Bind.class,
                ChannelsCommand.Unbind.class, ChannelsCommand.Event.class, ChannelsCommand.Activity.class})
public final class ChannelsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: list, bindings, bind, unbind, event or activity "
                + "(see 'agent-relay channels --help')");
    }

    /** The channel agent's session, given with --instance/--epoch, else read from its current registration. */
    abstract static class Guarded extends ClientCommand {
        @Option(names = "--instance", paramLabel = "ID",
                description = "The channel agent's instanceId (default: its current registration's).")
        String instance;

        @Option(names = "--epoch", paramLabel = "N", description = "The channel agent's epoch (default: its current one).")
        Long epoch;

        SessionGuard guard(RelayClient client, String channelId) {
            if (instance != null || epoch != null) {
                return new SessionGuard(instance, epoch);
            }
            String agentId = client.channels().list().stream().filter(c -> c.id().equals(channelId)
                    || c.agentId().equals(channelId)).map(ChannelSummary::agentId).findFirst().orElse(null);
            // No such channel: no guard, and the relay answers 404 (it checks the channel first).
            return agentId == null ? SessionGuard.NONE : SessionGuard.of(client.agents().get(agentId));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the channels, ready ones first.")
    public static final class ListChannels extends ClientCommand {
        @Override
        protected int run(RelayClient client) {
            List<ChannelSummary> channels = client.channels().list();
            if (out.json()) {
                out.json(channels);
            } else if (channels.isEmpty()) {
                out.line("no channels");
            } else {
                for (ChannelSummary c : channels) {
                    out.line(String.format("%-24s %-10s %-8s %-7s agent %s, account %s", c.id(), c.type(),
                            c.status().wire(), c.ready() ? "ready" : "-", c.agentId(), c.accountId()));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "bindings", mixinStandardHelpOptions = true,
            description = "List the bindings of one channel, or of every channel.")
    public static final class Bindings extends ClientCommand {
        @Parameters(arity = "0..1", paramLabel = "CHANNEL")
        String channel;

        @Override
        protected int run(RelayClient client) {
            List<ChannelBinding> bindings = client.channels().bindings(channel);
            if (out.json()) {
                out.json(bindings);
            } else if (bindings.isEmpty()) {
                out.line("no bindings");
            } else {
                bindings.forEach(b -> out.line(describe(b)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = {"Bind a channel (or one conversation of it) to a target: an agent id, tag:x, cap:x,",
                    "label:x, pool:x, policy:x or broadcast. Binding the same pair again changes mode and priority."})
    public static final class Bind extends Guarded {
        @Parameters(index = "0", paramLabel = "CHANNEL")
        String channel;

        @Parameters(index = "1", paramLabel = "TARGET")
        String target;

        @Option(names = "--conversation", paramLabel = "ID", description = "Only this conversation's events.")
        String conversation;

        @Option(names = "--mode", description = "exclusive (default: the event's one handler) or broadcast (a copy).")
        String mode;

        @Option(names = "--priority", paramLabel = "N", description = "Higher goes first (default: none, as 0).")
        Long priority;

        @Override
        protected int run(RelayClient client) {
            ChannelBinding.Mode chosen = Args.choice(spec, "--mode", mode, ChannelBinding.Mode.class);
            ChannelBinding binding = client.channels().bind(channel, conversation, target, chosen, priority,
                    guard(client, channel));
            if (out.json()) {
                out.json(binding);
            } else {
                out.line("bound " + describe(binding));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "unbind", mixinStandardHelpOptions = true,
            description = {"Remove a binding by id.", "Exit status 4 when there is none."})
    public static final class Unbind extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        protected int run(RelayClient client) {
            client.channels().unbind(id);
            if (out.json()) {
                out.json(Map.of("ok", true));
            } else {
                out.line("removed binding " + id);
            }
            return ExitCodes.OK;
        }
    }

    /** An envelope from --file, or built from flags. */
    abstract static class Posting extends Guarded {
        @Parameters(index = "0", paramLabel = "CHANNEL")
        String channel;

        @Option(names = "--file", paramLabel = "PATH",
                description = "The agent-relay.channel.v1 envelope as JSON ('-' for standard input); else built from flags.")
        String file;

        @Option(names = "--conversation", paramLabel = "ID", description = "The conversation id (built envelope).")
        String conversation;

        @Option(names = "--conversation-type", paramLabel = "TYPE", defaultValue = "channel",
                description = "The conversation type (built envelope; default ${DEFAULT-VALUE}).")
        String conversationType;

        @Option(names = "--actor", paramLabel = "ID", defaultValue = "cli", description = "Who acted (default ${DEFAULT-VALUE}).")
        String actor;

        @Option(names = "--actor-kind", paramLabel = "KIND", defaultValue = "user",
                description = "The actor's kind (default ${DEFAULT-VALUE}).")
        String actorKind;

        @Option(names = "--direction", defaultValue = "inbound", description = "inbound (default) or outbound.")
        String direction;

        Map<String, Object> envelope(RelayClient client, String eventType, Map<String, Object> content) {
            if (file != null) {
                String text = Args.fileText(spec, relay.shell(), file);
                try {
                    JsonNode node = Json.mapper().readTree(text);
                    if (node == null || !node.isObject()) {
                        throw Args.usage(spec, "--file must hold a JSON object (the envelope)");
                    }
                    return Json.mapper().convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() { });
                } catch (JsonProcessingException e) {
                    throw Args.usage(spec, "--file is not JSON: " + e.getOriginalMessage());
                }
            }
            if (conversation == null) {
                throw Args.usage(spec, "give --file PATH, or --conversation ID to build the envelope from flags");
            }
            ChannelSummary identity = client.channels().list().stream().filter(c -> c.id().equals(channel)
                    || c.agentId().equals(channel)).findFirst().orElse(null);
            if (identity == null) {
                // The relay answers 404 for it before looking at the envelope.
                return Map.of();
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("schema", "agent-relay.channel.v1");
            payload.put("channel", Map.of("provider", identity.type(), "accountId", identity.accountId(),
                    "agentId", identity.agentId()));
            payload.put("direction", direction);
            payload.put("conversation", Map.of("id", conversation, "type", conversationType));
            payload.put("actor", Map.of("id", actor, "kind", actorKind));
            payload.put("event", Map.of("type", eventType));
            payload.putAll(content);
            return payload;
        }
    }

    @Command(name = "event", mixinStandardHelpOptions = true,
            description = {"Post a channel event as the channel: one channel.event message per binding it resolves to.",
                    "Exit status 5 when the channel has no binding for it."})
    public static final class Event extends Posting {
        @Option(names = "--text", paramLabel = "TEXT", description = "The message text (built envelope).")
        String text;

        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "message.created",
                description = "The event type (built envelope; default ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--key", paramLabel = "KEY", description = "Idempotency key: a repeat posts nothing.")
        String key;

        @Override
        protected int run(RelayClient client) {
            if (file == null && text == null) {
                throw Args.usage(spec, "give --text TEXT (with --conversation), or --file PATH");
            }
            Map<String, Object> payload = envelope(client, type, text == null ? Map.of() : Map.of("message",
                    Map.of("text", text)));
            Channels.Posted posted = client.channels().postEvent(channel, payload, key, guard(client, channel));
            if (out.json()) {
                out.json(posted);
            } else {
                for (Message message : posted.messages()) {
                    out.line((posted.created() ? "sent" : "already sent") + " message " + message.id() + " to "
                            + message.to());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "activity", mixinStandardHelpOptions = true,
            description = {"Post channel activity (typing, presence, read receipts) as the channel: streamed as",
                    "channel.activity, never stored as a message."})
    public static final class Activity extends Posting {
        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "typing.started",
                description = "The event type (built envelope; default ${DEFAULT-VALUE}): typing.started, "
                        + "typing.stopped, message.read, message.delivered, presence.updated.")
        String type;

        @Override
        protected int run(RelayClient client) {
            Channels.Activity activity = client.channels().postActivity(channel, envelope(client, type, Map.of()),
                    guard(client, channel));
            if (out.json()) {
                out.json(activity);
            } else {
                out.line("activity posted to " + activity.channelId()
                        + (activity.conversationId() == null ? "" : " (" + activity.conversationId() + ")"));
            }
            return ExitCodes.OK;
        }
    }

    static String describe(ChannelBinding b) {
        return "#" + b.id() + " " + b.channelId() + (b.conversationId() == null ? "" : " [" + b.conversationId() + "]")
                + " -> " + b.target().address() + " (" + b.mode().wire()
                + (b.priority() == null ? "" : ", priority " + b.priority()) + ")";
    }
}
