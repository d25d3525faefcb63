package io.agentrelay.server.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.store.MessageQuery;
import io.agentrelay.server.store.NewMessage;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sending, reading, threading and claiming messages. */
public final class MessageService {
    /** Who the relay's own messages come from. */
    public static final String SYSTEM = "system";

    private final Store store;
    private final Clock clock;
    private final Duration claimTtl;
    private final SignsOfLife signsOfLife;
    private final QueuedDelivery queued;

    public MessageService(Store store, Clock clock, Duration claimTtl, SignsOfLife signsOfLife, QueuedDelivery queued) {
        this.store = store;
        this.clock = clock;
        this.claimTtl = claimTtl;
        this.signsOfLife = signsOfLife;
        this.queued = queued;
    }

    /** A read-only call made as {@code agentId} (opening its stream) was a sign of life. */
    public CompletableFuture<Void> seen(String agentId) {
        return signsOfLife.after(agentId);
    }

    /**
     * The result of a send: the message, false when an idempotency key matched an earlier one, and
     * the message as JSON when this send created it (the data of its {@code message.new} event,
     * rendered once on the writer), so that an answer need not render the message again.
     */
    public record Sent(Message message, boolean created, String json) {
    }

    /** A message's delivery: who it reaches now, who read it, who holds its claim. */
    public record Status(long messageId, DeliveryStatus deliveryStatus, String resolvedToAgent, String to,
                         List<String> recipients, List<Reads.ReadMark> readBy, String claimedBy,
                         Long claimExpiresAt) {
    }

    /** A send by an agent ({@code from}), which counts as its sign of life. */
    public CompletableFuture<Sent> send(SendMessage command) {
        return store.write(tx -> {
            Sent sent = send(tx, command);
            signsOfLife.within(tx, command.from(), clock.millis());
            return sent;
        });
    }

    /** Sends inside a caller's transaction, for services whose change announces itself with a message. */
    public Sent sendWithin(Tx tx, SendMessage command) {
        return send(tx, command);
    }

    private Sent send(Tx tx, SendMessage command) {
        if (command.idempotencyKey() != null) {
            Message earlier = tx.messageByIdempotencyKey(command.from(), command.idempotencyKey()).orElse(null);
            if (earlier != null) {
                return new Sent(earlier, false, null);
            }
        }
        Long threadId = null;
        if (command.replyTo() != null) {
            Message parent = tx.message(command.replyTo()).orElseThrow(() ->
                    new RelayError.InvalidInput("replyTo", "refers to message " + command.replyTo() + ", which does not exist"));
            threadId = parent.threadId();
        }
        if (!SessionGuard.NONE.equals(command.guard())) {
            tx.agent(command.from()).ifPresent(command.guard()::check);
        }
        long now = clock.millis();
        // A policy: or pool: message goes to the one agent there now, or waits for one.
        String resolvedTo = null;
        DeliveryStatus delivery = DeliveryStatus.DELIVERED;
        if (QueuedDelivery.resolves(command.to())) {
            resolvedTo = queued.recipient(tx, command.to()).orElse(null);
            delivery = resolvedTo == null ? DeliveryStatus.QUEUED : DeliveryStatus.DELIVERED;
        }
        NewMessage draft = new NewMessage(command.from(), command.to().wire(), command.kind(),
                command.subject(), command.body(), command.replyTo(), threadId, command.claimable(),
                command.idempotencyKey(), command.meta(), command.payload(), command.channel(),
                command.maxAgeSeconds(), delivery, resolvedTo, now);
        Message message;
        if (command.idempotencyKey() == null) {
            message = tx.insertMessage(draft);
        } else {
            // Insert-once: another node may have used the key since the check above.
            message = tx.insertMessageOnce(draft).orElse(null);
            if (message == null) {
                return new Sent(tx.messageByIdempotencyKey(command.from(), command.idempotencyKey()).orElseThrow(),
                        false, null);
            }
        }
        // A resolved message is addressed, on the streams, to the agent it was resolved to.
        Event event = tx.append(delivery == DeliveryStatus.QUEUED ? EventType.MESSAGE_QUEUED : EventType.MESSAGE_NEW,
                Event.Origin.of(message.from(), message.id()),
                new Event.Scope(resolvedTo != null ? resolvedTo : message.to(), message.from(), message.channel()),
                message, now);
        return new Sent(message, true, event.data());
    }

    /**
     * A message from the relay itself ({@link SendMessage#broadcast}): sent like any other, but it is
     * nobody's sign of life.
     */
    public CompletableFuture<Sent> sendAsRelay(SendMessage command) {
        return store.write(tx -> send(tx, command));
    }

    /**
     * {@code POST /api/agents/:id/actions}: an urgent control message asking the agent to act, in
     * the TypeScript server's words: its body says who asked for what, and
     * {@code payload.agentControl} carries the action, who requested it and when.
     */
    public CompletableFuture<Sent> control(String agentId, AgentAction action, String requestedBy) {
        return store.write(tx -> {
            if (tx.agent(agentId).isEmpty()) {
                throw AgentService.notFound(agentId);
            }
            long now = clock.millis();
            Map<String, Object> control = new LinkedHashMap<>();
            control.put("action", action.wire());
            control.put("requestedBy", requestedBy);
            control.put("requestedAt", now);
            Map<String, Object> payload = Map.of("agentControl", control);
            Map<String, Object> meta = Map.of("delivery", "interrupt", "priority", "urgent");
            String who = requestedBy.equals(AgentAction.DASHBOARD) ? "Dashboard" : requestedBy;
            return send(tx, new SendMessage(SYSTEM, new Target.Agent(agentId), MessageKind.CONTROL, action.title(),
                    who + " requested that this agent " + action.verb() + " its relay-managed session now.", null,
                    false, null, meta, payload, null, null, SessionGuard.NONE));
        });
    }

    /**
     * {@code GET /api/messages}: with an agent, its inbox and the next poll's {@code since}
     * ({@code cursor}: the last id returned, or the one given when nothing is new); without one,
     * the most recent messages (and no cursor).
     */
    public record Listed(List<Message> messages, @JsonInclude(JsonInclude.Include.NON_NULL) Long cursor) {
    }

    /** {@code GET /api/messages}: the inbox of {@code agentId}, or (null) the most recent messages. */
    public CompletableFuture<Listed> list(String agentId, MessageQuery query) {
        if (agentId == null) {
            return recent(query).thenApply(list -> new Listed(list, null));
        }
        return inbox(agentId, query).thenApply(list ->
                new Listed(list, list.isEmpty() ? query.since() : list.get(list.size() - 1).id()));
    }

    /** Messages that concern {@code agentId}, oldest first, with its read flags. */
    public CompletableFuture<List<Message>> inbox(String agentId, MessageQuery query) {
        return store.read(reads -> reads.inbox(reads.audienceOf(agentId), query))
                .thenCompose(list -> signsOfLife.after(agentId).thenApply(v -> list));
    }

    public CompletableFuture<List<Message>> recent(MessageQuery query) {
        return store.read(reads -> reads.recent(query));
    }

    public CompletableFuture<Long> cursor(String agentId) {
        return store.read(reads -> reads.cursor(reads.audienceOf(agentId)))
                .thenCompose(cursor -> signsOfLife.after(agentId).thenApply(v -> cursor));
    }

    /** {@code GET /api/messages/queued}: what waits for a {@code policy:}/{@code pool:} target, oldest first. */
    public CompletableFuture<List<Message>> queued(Target target, int limit) {
        return store.read(reads -> reads.queuedMessages(target.wire(), 0, limit));
    }

    public CompletableFuture<Message> get(long id) {
        return store.read(reads -> existing(reads, id));
    }

    public CompletableFuture<List<Message>> thread(long id) {
        return store.read(reads -> reads.thread(existing(reads, id).threadId()));
    }

    public CompletableFuture<Status> status(long id) {
        return store.read(reads -> {
            Message message = existing(reads, id);
            List<String> recipients = new ArrayList<>();
            for (AgentCard agent : reads.agents(io.agentrelay.server.store.AgentQuery.ALL)) {
                if (Audience.of(agent).receives(message)) {
                    recipients.add(agent.id());
                }
            }
            return new Status(id, message.deliveryStatus(), message.resolvedToAgent(), message.to(), recipients,
                    reads.readMarks(id), message.claimedBy(), message.claimExpiresAt());
        });
    }

    /**
     * Claims a claimable message for one agent. Exactly one of several racing claimers wins, on any
     * node: the claim is one conditional update ({@link Tx#claimMessage}), and the loser reads who
     * won. A claim held by another agent and not yet expired is a 409 naming the holder; the holder
     * claiming again renews it.
     */
    public CompletableFuture<Message> claim(long id, String agentId, SessionGuard guard) {
        return store.write(tx -> {
            long now = clock.millis();
            Message message = existing(tx, id);
            if (!message.claimable()) {
                throw new RelayError.InvalidInput(null, "message " + id + " is not claimable");
            }
            AgentCard agent = tx.agent(agentId).orElseThrow(() -> AgentService.notFound(agentId));
            guard.check(agent);
            signsOfLife.within(tx, agentId, now);
            if (!Audience.of(agent).receives(message)) {
                throw new RelayError.Forbidden("agent " + agentId + " is not a recipient of message " + id
                        + " (sent by " + message.from() + " to " + message.to() + ")");
            }
            long expiresAt = now + claimTtl.toMillis();
            if (!tx.claimMessage(id, agentId, now, expiresAt)) {
                String holder = existing(tx, id).claimedBy();
                throw new RelayError.Conflict("message " + id + " is already claimed by " + holder,
                        holder == null ? Map.of() : Map.of("claimedBy", holder));
            }
            Message claimed = message.withClaim(agentId, now, expiresAt);
            tx.append(EventType.MESSAGE_CLAIMED, Event.Origin.of(agentId, message.id()),
                    new Event.Scope(message.to(), agentId, message.channel()), claimed, now);
            return claimed;
        });
    }

    /** Gives a claim back so another agent can take the message. */
    public CompletableFuture<Message> release(long id, String agentId, SessionGuard guard) {
        return store.write(tx -> {
            long now = clock.millis();
            Message message = existing(tx, id);
            if (!agentId.equals(message.claimedBy())) {
                throw new RelayError.Conflict("message " + id + " is not claimed by " + agentId,
                        message.claimedBy() == null ? Map.of() : Map.of("claimedBy", message.claimedBy()));
            }
            tx.agent(agentId).ifPresent(guard::check);
            signsOfLife.within(tx, agentId, now);
            return releaseClaim(tx, message, "released", now);
        });
    }

    /** Clears a claim and records why; used by {@link #release} and by the reaper. */
    public static Message releaseClaim(Tx tx, Message message, String reason, long now) {
        tx.updateClaim(message.id(), null, null, null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", message.id());
        data.put("agentId", message.claimedBy());
        data.put("reason", reason);
        // The holder released it itself, or the server did (an expired claim, a removed agent).
        Event.Origin origin = "released".equals(reason)
                ? Event.Origin.of(message.claimedBy(), message.id()) : Event.Origin.server(message.id());
        tx.append(EventType.MESSAGE_CLAIM_RELEASED, origin, new Event.Scope(message.to(), message.claimedBy(), message.channel()),
                data, now);
        return message.withClaim(null, null, null);
    }

    /** Marks messages read for one agent; returns the ids that were newly marked. */
    public CompletableFuture<List<Long>> markRead(MarkRead command) {
        return command.ids() != null ? markRead(command.agentId(), command.ids())
                : markReadUpTo(command.agentId(), command.upTo());
    }

    private CompletableFuture<List<Long>> markRead(String agentId, List<Long> ids) {
        return store.write(tx -> {
            long now = clock.millis();
            signsOfLife.within(tx, agentId, now);
            List<Long> marked = new ArrayList<>();
            for (long id : ids) {
                existing(tx, id);
                if (tx.markRead(id, agentId, now)) {
                    marked.add(id);
                }
            }
            appendRead(tx, agentId, marked, now);
            return marked;
        });
    }

    /** Marks every unread message of the agent's inbox with id up to {@code upTo} read. */
    private CompletableFuture<List<Long>> markReadUpTo(String agentId, long upTo) {
        return store.write(tx -> {
            long now = clock.millis();
            signsOfLife.within(tx, agentId, now);
            Audience audience = tx.audienceOf(agentId);
            List<Long> marked = new ArrayList<>();
            long since = 0;
            while (true) {
                List<Message> page = tx.inbox(audience, new MessageQuery(since, 0, 500, null, null, true));
                for (Message message : page) {
                    if (message.id() > upTo) {
                        appendRead(tx, agentId, marked, now);
                        return marked;
                    }
                    tx.markRead(message.id(), agentId, now);
                    marked.add(message.id());
                }
                if (page.size() < 500) {
                    appendRead(tx, agentId, marked, now);
                    return marked;
                }
                since = page.get(page.size() - 1).id();
            }
        });
    }

    private static void appendRead(Tx tx, String agentId, List<Long> marked, long now) {
        if (!marked.isEmpty()) {
            tx.append(EventType.MESSAGE_READ, Event.Origin.of(agentId, agentId), Event.Scope.agent(agentId),
                    Map.of("agentId", agentId, "messageIds", marked), now);
        }
    }

    public CompletableFuture<Void> delete(long id) {
        return store.write(tx -> {
            Message message = existing(tx, id);
            tx.deleteMessage(id);
            tx.append(EventType.MESSAGE_DELETED, Event.Origin.server(id), new Event.Scope(message.to(), message.from(), message.channel()),
                    Map.of("messageId", id), clock.millis());
            return null;
        });
    }

    private static Message existing(Reads reads, long id) {
        return reads.message(id).orElseThrow(() -> new RelayError.NotFound("message " + id + " not found"));
    }
}
