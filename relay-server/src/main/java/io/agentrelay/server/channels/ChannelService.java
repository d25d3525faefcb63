package io.agentrelay.server.channels;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.messages.SendMessage;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.NewBinding;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Channels (agents that bridge outside conversations), their bindings, and what a channel posts:
 * events, delivered as {@code channel.event} messages through the ordinary send path, one per
 * binding the event resolves to, and activity (typing, presence, read receipts), which is never
 * stored as a message: it is one {@code channel.activity} event in the log.
 *
 * <p>Every post and every bind must carry the channel agent's session guard, so a bridge process
 * that was replaced cannot speak for the channel any more.
 */
public final class ChannelService {
    private final Store store;
    private final MessageService messages;
    private final SignsOfLife signsOfLife;
    private final Clock clock;

    public ChannelService(Store store, MessageService messages, SignsOfLife signsOfLife, Clock clock) {
        this.store = store;
        this.messages = messages;
        this.signsOfLife = signsOfLife;
        this.clock = clock;
    }

    /** What a channel event became: the messages (new or, for a repeated key, earlier), the bindings used. */
    public record Posted(List<Message> messages, List<ChannelBinding> bindings, boolean created) {
    }

    /** A channel activity as its {@code channel.activity} event carries it. */
    public record Activity(String channelId, String conversationId, Map<String, Object> payload, long createdAt) {
    }

    public CompletableFuture<List<ChannelSummary>> list() {
        return store.read(Channels::all);
    }

    /** {@code channelId} null: every channel's bindings. */
    public CompletableFuture<List<ChannelBinding>> bindings(String channelId) {
        return store.read(reads -> reads.channelBindings(channelId));
    }

    /** Binds, or rebinds (mode, priority) the same (conversation, target); 404 for an unknown channel, then the guard. */
    public CompletableFuture<ChannelBinding> bind(BindChannel command) {
        return store.write(tx -> {
            ChannelSummary channel = channel(tx, command.channelId());
            requireSession(tx, channel, command.guard());
            long now = clock.millis();
            ChannelBinding binding = tx.upsertChannelBinding(new NewBinding(channel.id(), command.conversationId(),
                    command.target(), command.mode(), command.priority(), now));
            tx.append(EventType.CHANNEL_BINDING_CHANGED, Event.Origin.server(binding.id()), scope(channel.id(),
                    channel.agentId()), binding, now);
            return binding;
        });
    }

    /** Ours: removes a binding (no guard: an administrator's move, like deleting an agent). */
    public CompletableFuture<ChannelBinding> unbind(long id) {
        return store.write(tx -> {
            ChannelBinding binding = tx.channelBinding(id)
                    .orElseThrow(() -> new RelayError.NotFound("channel binding not found"));
            tx.deleteChannelBinding(id);
            String agentId = Channels.find(tx, binding.channelId()).map(ChannelSummary::agentId).orElse(null);
            tx.append(EventType.CHANNEL_BINDING_REMOVED, Event.Origin.server(id), scope(binding.channelId(), agentId),
                    binding, clock.millis());
            return binding;
        });
    }

    /**
     * {@code POST /api/channels/:id/events}: 404, then the guard, then the envelope; one
     * {@code channel.event} message per resolved binding, all in one transaction.
     */
    public CompletableFuture<Posted> postEvent(String channelId, SessionGuard guard, JsonNode request) {
        return store.write(tx -> {
            ChannelSummary channel = channel(tx, channelId);
            requireSession(tx, channel, guard);
            ChannelEnvelope envelope = ChannelEnvelope.parse(request, channel);
            if (envelope.hasActivity()) {
                throw RelayError.InvalidInput.worded("payload.activity",
                        "channel activity must use /api/channels/:id/activities");
            }
            if (envelope.ephemeral()) {
                throw RelayError.InvalidInput.worded("payload.event.type",
                        "ephemeral channel activity must use /api/channels/:id/activities");
            }
            List<ChannelBinding> routes = routes(tx.channelBindings(channel.id()), envelope.conversationId());
            if (routes.isEmpty()) {
                throw new RelayError.Conflict("channel has no binding");
            }
            List<Message> sent = new ArrayList<>(routes.size());
            boolean created = false;
            for (ChannelBinding binding : routes) {
                MessageService.Sent one = messages.sendWithin(tx, message(channel, binding, envelope));
                sent.add(one.message());
                created |= one.created();
            }
            signsOfLife.within(tx, channel.agentId(), clock.millis());
            return new Posted(sent, routes, created);
        });
    }

    /** {@code POST /api/channels/:id/activities}: nothing stored but the {@code channel.activity} event. */
    public CompletableFuture<Activity> postActivity(String channelId, SessionGuard guard, JsonNode request) {
        return store.write(tx -> {
            ChannelSummary channel = channel(tx, channelId);
            requireSession(tx, channel, guard);
            ChannelEnvelope envelope = ChannelEnvelope.parse(request, channel);
            if (!envelope.ephemeral() && !envelope.hasActivity()) {
                throw RelayError.InvalidInput.worded("payload.event.type",
                        "channel activity payload must include an ephemeral event type or activity object");
            }
            long now = clock.millis();
            Activity activity = new Activity(channel.id(), envelope.conversationId(), envelope.payload(), now);
            // To everyone (broadcast), as the TypeScript server streams it; the scope's channel lets
            // a WebSocket subscriber of this channel alone receive it.
            tx.append(EventType.CHANNEL_ACTIVITY, Event.Origin.server(null),
                    new Event.Scope(Target.Broadcast.INSTANCE.wire(), channel.agentId(), channel.id()), activity, now);
            signsOfLife.within(tx, channel.agentId(), now);
            return activity;
        });
    }

    /**
     * Which bindings an event of {@code conversationId} goes to. The conversation's own bindings
     * when it has any, else the channel-wide ones; of that level, the first exclusive binding and
     * every broadcast binding, each level ordered by priority (highest first; none = 0), then id.
     */
    public static List<ChannelBinding> routes(List<ChannelBinding> bindings, String conversationId) {
        List<ChannelBinding> specific = conversationId == null ? List.of()
                : bindings.stream().filter(b -> conversationId.equals(b.conversationId())).sorted(ORDER).toList();
        List<ChannelBinding> level = !specific.isEmpty() ? specific
                : bindings.stream().filter(b -> b.conversationId() == null).sorted(ORDER).toList();
        List<ChannelBinding> chosen = new ArrayList<>();
        boolean exclusiveTaken = false;
        for (ChannelBinding binding : level) {
            if (binding.mode() == ChannelBinding.Mode.BROADCAST) {
                chosen.add(binding);
            } else if (!exclusiveTaken) {
                chosen.add(binding);
                exclusiveTaken = true;
            }
        }
        return List.copyOf(chosen);
    }

    /**
     * The binding an integration event without a {@code target} takes its target from (REFERENCE
     * §1.5): the channel's first binding — channel-wide ones before conversation ones, then by
     * priority and id, as {@link #routes} orders them.
     */
    public static Optional<ChannelBinding> firstBinding(Reads reads, String channelId) {
        return reads.channelBindings(channelId).stream()
                .sorted(Comparator.comparing((ChannelBinding b) -> b.conversationId() != null).thenComparing(ORDER))
                .findFirst();
    }

    private static final Comparator<ChannelBinding> ORDER = Comparator
            .comparingLong((ChannelBinding b) -> b.priority() == null ? 0 : b.priority()).reversed()
            .thenComparingLong(ChannelBinding::id);

    private static SendMessage message(ChannelSummary channel, ChannelBinding binding, ChannelEnvelope envelope) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("channelBindingId", binding.id());
        meta.put("bindingMode", binding.mode().wire());
        if (envelope.conversationId() != null) {
            meta.put("conversationId", envelope.conversationId());
        }
        meta.put("eventType", envelope.eventType());
        meta.put("direction", envelope.direction());
        return new SendMessage(channel.agentId(), Target.parse(binding.target().address()), MessageKind.CHANNEL_EVENT,
                null, envelope.body(), null, false, key(envelope.idempotencyKey(), binding.id()), meta,
                envelope.payload(), channel.id(), null, SessionGuard.NONE);
    }

    /**
     * {@code <key>:<binding id>}, as the TypeScript server keys each binding's message. A message's
     * key is at most {@value SendMessage#MAX_IDEMPOTENCY_KEY} characters; a longer combination uses
     * the key's SHA-256 instead of the key, which is as stable.
     */
    static String key(String key, long bindingId) {
        if (key == null) {
            return null;
        }
        String suffix = ":" + bindingId;
        if (key.length() + suffix.length() <= SendMessage.MAX_IDEMPOTENCY_KEY) {
            return key + suffix;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + HexFormat.of().formatHex(hash) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static ChannelSummary channel(Reads reads, String id) {
        return Channels.find(reads, id).orElseThrow(() -> new RelayError.NotFound("channel not found"));
    }

    /** The channel session guard: required, and it must match the channel agent's session. */
    private static void requireSession(Reads reads, ChannelSummary channel, SessionGuard guard) {
        if (guard == null || SessionGuard.NONE.equals(guard)) {
            throw RelayError.InvalidInput.worded("instanceId", "channel session guard required");
        }
        reads.agent(channel.agentId()).ifPresent(guard::check);
    }

    /** Binding events concern the channel and its agent (null when no agent stands for the channel now). */
    private static Event.Scope scope(String channelId, String agentId) {
        return new Event.Scope(null, agentId, channelId);
    }
}
