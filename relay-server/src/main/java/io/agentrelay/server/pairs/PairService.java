package io.agentrelay.server.pairs;

import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.AgentService;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.agents.SignsOfLife;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.messages.SendMessage;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.NewPair;
import io.agentrelay.server.store.PairQuery;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Working pairs: one agent invites another ({@link #create}, pending), the invitee accepts
 * (active) or rejects (rejected), either member ends it (ended; the inviter may also withdraw a
 * pending invitation that way), and the reaper expires invitations nobody answered
 * ({@link #expire}). While active the members write to each other with {@link #send}.
 *
 * <p>Every change is one transaction: the pair's row (a conditional update on the status it was
 * read with, so of racing moves exactly one wins and the others get a 409), its event
 * ({@code pair.created} / {@code pair.updated}, scoped to both members: target the invitee,
 * agentId the inviter) and a {@code kind:"pair"} message to the other member, sent through
 * {@link MessageService#sendWithin} like any message and threaded under the invitation.
 */
public final class PairService {
    private final Store store;
    private final Clock clock;
    private final MessageService messages;
    private final SignsOfLife signsOfLife;

    public PairService(Store store, Clock clock, MessageService messages, SignsOfLife signsOfLife) {
        this.store = store;
        this.clock = clock;
        this.messages = messages;
        this.signsOfLife = signsOfLife;
    }

    public CompletableFuture<List<Pair>> list(PairQuery query) {
        return store.read(reads -> reads.pairs(query));
    }

    public CompletableFuture<Pair> get(long id) {
        return store.read(reads -> existing(reads, id));
    }

    /**
     * Invites: both agents must be registered, and the two must not have an open pair already
     * (whichever invited); the unique constraint decides between racing invitations.
     */
    public CompletableFuture<Pair> create(CreatePair command) {
        return store.write(tx -> {
            long now = clock.millis();
            for (String agentId : List.of(command.from(), command.to())) {
                if (tx.agent(agentId).isEmpty()) {
                    throw AgentService.notFound(agentId);
                }
            }
            // An invitation past its expiry that the reaper has not reached yet does not hold the slot.
            tx.openPair(command.from(), command.to())
                    .filter(open -> open.status() == PairStatus.PENDING && now >= open.expiresAt())
                    .ifPresent(stale -> expireOne(tx, stale, now));
            NewPair draft = new NewPair(command.from(), command.to(), command.topic(), command.body(), command.meta(),
                    now, now + command.ttlSeconds() * 1_000L);
            Pair pending = tx.insertPairOnce(draft).orElseThrow(() -> alreadyPaired(tx, command.from(), command.to()));
            String subject = command.topic() == null ? "Pair invitation" : "Pair invitation: " + command.topic();
            String body = command.body() != null ? command.body()
                    : command.from() + " invites you to pair" + (command.topic() == null ? "" : " on " + command.topic())
                    + "; accept or reject pair " + pending.id() + ".";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", PairStatus.PENDING.wire());
            details.put("from", command.from());
            details.put("to", command.to());
            if (command.topic() != null) {
                details.put("topic", command.topic());
            }
            details.put("expiresAt", pending.expiresAt());
            Message invitation = notify(tx, command.from(), command.to(), pending.id(), "invite", subject, body, null,
                    details, command.meta(), command.guard());
            Pair pair = pending.withMessageId(invitation.id());
            tx.savePairIf(pair, PairStatus.PENDING);
            tx.append(EventType.PAIR_CREATED, Event.Origin.of(command.from(), pair.id()), scope(pair), pair, now);
            signsOfLife.within(tx, command.from(), now);
            return pair;
        });
    }

    /**
     * A member's move. Accept and reject are the invitee's, from pending; end is either member's
     * from active, and the inviter's from pending (withdrawing the invitation). The other member
     * gets a {@code kind:"pair"} message saying what happened (the reason, if given, is its body).
     */
    public CompletableFuture<Pair> act(long id, PairAction action, ActOnPair command) {
        return store.write(tx -> {
            long now = clock.millis();
            Pair pair = existing(tx, id);
            String agentId = command.agentId();
            if (!pair.hasMember(agentId)) {
                throw notAMember(pair, agentId);
            }
            if (action != PairAction.END && !pair.to().equals(agentId)) {
                throw new RelayError.Forbidden("only the invitee (" + pair.to() + ") may " + action.wire() + " pair " + id);
            }
            if (pair.status() == PairStatus.PENDING && now >= pair.expiresAt()) {
                // Past its expiry and not reaped yet: it expires now, and that is kept; the move is
                // refused once the expiry has committed (throwing here would roll it back).
                expireOne(tx, pair, now);
                return new Outcome(null, wrongStatus(existing(tx, id), PairStatus.PENDING));
            }
            PairStatus needed = action != PairAction.END ? PairStatus.PENDING
                    : pair.status() == PairStatus.PENDING && pair.from().equals(agentId) ? PairStatus.PENDING
                    : PairStatus.ACTIVE;
            if (pair.status() != needed) {
                if (action == PairAction.END && pair.status() == PairStatus.PENDING) {
                    throw new RelayError.Conflict("pair " + id + " is pending: the invitee (" + pair.to()
                            + ") accepts or rejects it", Map.of("status", pair.status().wire()));
                }
                throw wrongStatus(pair, needed);
            }
            Pair after = pair.moved(action.to(), agentId, command.reason(), now);
            if (!tx.savePairIf(after, pair.status())) {
                Pair current = existing(tx, id);
                throw new RelayError.Conflict("pair " + id + " changed meanwhile: it is now " + current.status().wire(),
                        Map.of("status", current.status().wire()));
            }
            String body = command.reason() != null ? command.reason()
                    : agentId + " " + action.verb() + " pair " + id + ".";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", after.status().wire());
            if (command.reason() != null) {
                details.put("reason", command.reason());
            }
            notify(tx, agentId, pair.other(agentId), id, action.wire(), action.subject(), body, pair.messageId(),
                    details, Map.of(), command.guard());
            tx.append(EventType.PAIR_UPDATED, Event.Origin.of(agentId, id), scope(after), after, now);
            signsOfLife.within(tx, agentId, now);
            return new Outcome(after, null);
        }).thenApply(outcome -> {
            if (outcome.refusal() != null) {
                throw outcome.refusal();
            }
            return outcome.pair();
        });
    }

    /** A move's result: the pair after it, or the refusal to give once the transaction committed. */
    private record Outcome(Pair pair, RelayError refusal) {
    }

    /**
     * A pair message from one member to the other, only while the pair is active. Sent through the
     * ordinary send path (session guard, {@code message.new} event), as {@code kind:"pair"} with
     * {@code payload.pair = {id, action:"message"}}.
     */
    public CompletableFuture<MessageService.Sent> send(long id, PairMessage command) {
        return store.write(tx -> {
            long now = clock.millis();
            Pair pair = existing(tx, id);
            if (!pair.hasMember(command.from())) {
                throw notAMember(pair, command.from());
            }
            if (pair.status() != PairStatus.ACTIVE) {
                throw wrongStatus(pair, PairStatus.ACTIVE);
            }
            Long replyTo = command.replyTo();
            if (replyTo != null) {
                Message parent = tx.message(replyTo).orElseThrow(() -> new RelayError.InvalidInput("replyTo",
                        "refers to message " + command.replyTo() + ", which does not exist"));
                if (pair.messageId() == null || parent.threadId() != threadOf(tx, pair)) {
                    throw new RelayError.InvalidInput("replyTo", "must be a message of pair " + id + "'s thread");
                }
            } else {
                replyTo = rootIfKept(tx, pair.messageId());
            }
            MessageService.Sent sent = messages.sendWithin(tx, new SendMessage(command.from(),
                    new Target.Agent(pair.other(command.from())), MessageKind.PAIR, command.subject(), command.body(),
                    replyTo, false, null, command.meta(), payload(id, "message", Map.of()), null, null, command.guard()));
            signsOfLife.within(tx, command.from(), now);
            return sent;
        });
    }

    /**
     * Expires every pending pair past its expiry, for the reaper, inside its transaction: the
     * inviter gets a message from the relay saying so. A pair a member moved meanwhile (another
     * node) is left alone. (A move on a pair past its expiry, and a new invitation of the same two
     * agents, expire it themselves: the reaper's interval is no grace period.)
     */
    public List<Long> expire(Tx tx, long now) {
        List<Long> expired = new ArrayList<>();
        for (Pair pair : tx.pairsExpiredAt(now)) {
            if (expireOne(tx, pair, now)) {
                expired.add(pair.id());
            }
        }
        return expired;
    }

    /**
     * Expires one pending pair past its expiry: the row, a message from the relay telling the
     * inviter, and {@code pair.updated}. False when it moved meanwhile (another node).
     */
    private boolean expireOne(Tx tx, Pair pair, long now) {
        Pair after = pair.moved(PairStatus.EXPIRED, null, null, now);
        if (!tx.savePairIf(after, PairStatus.PENDING)) {
            return false;
        }
        notify(tx, MessageService.SYSTEM, pair.from(), pair.id(), "expire", "Pair invitation expired",
                pair.to() + " did not answer pair " + pair.id() + " in time.", pair.messageId(),
                Map.of("status", PairStatus.EXPIRED.wire()), Map.of(), SessionGuard.NONE);
        tx.append(EventType.PAIR_UPDATED, Event.Origin.server(pair.id()), scope(after), after, now);
        return true;
    }

    /** The {@code kind:"pair"} message that tells {@code to} of a move, threaded under the invitation when it is kept. */
    private Message notify(Tx tx, String from, String to, long pairId, String action, String subject, String body,
                           Long root, Map<String, Object> details, Map<String, Object> meta, SessionGuard guard) {
        return messages.sendWithin(tx, new SendMessage(from, new Target.Agent(to), MessageKind.PAIR, subject, body,
                rootIfKept(tx, root), false, null, meta, payload(pairId, action, details), null, null, guard)).message();
    }

    /** {@code {"pair": {"id", "action", ...details}}}: what an agent reading its inbox keys on. */
    private static Map<String, Object> payload(long pairId, String action, Map<String, Object> details) {
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("id", pairId);
        pair.put("action", action);
        pair.putAll(details);
        return Map.of("pair", pair);
    }

    /** The invitation's id while retention has not pruned it; null after (a reply to a gone message is refused). */
    private static Long rootIfKept(Reads reads, Long root) {
        return root != null && reads.message(root).isPresent() ? root : null;
    }

    private static long threadOf(Reads reads, Pair pair) {
        return reads.message(pair.messageId()).map(Message::threadId).orElse(-1L);
    }

    /** Scoped to both members, so each one's stream carries it and no one else's does. */
    private static Event.Scope scope(Pair pair) {
        return new Event.Scope(pair.to(), pair.from(), null);
    }

    private static RelayError alreadyPaired(Reads reads, String from, String to) {
        Pair open = reads.openPair(from, to).orElse(null);
        if (open == null) {
            // Taken and freed again between the insert and this read: rare, and a retry will do.
            return new RelayError.Conflict("agents " + from + " and " + to + " already have an open pair");
        }
        return new RelayError.Conflict("agents " + from + " and " + to + " already have an open pair: pair "
                + open.id() + " is " + open.status().wire(), Map.of("pairId", open.id(), "status", open.status().wire()));
    }

    private static RelayError notAMember(Pair pair, String agentId) {
        return new RelayError.Forbidden("agent " + agentId + " is not a member of pair " + pair.id() + " (" + pair.from()
                + ", " + pair.to() + ")");
    }

    private static RelayError wrongStatus(Pair pair, PairStatus needed) {
        return new RelayError.Conflict("pair " + pair.id() + " is " + pair.status().wire() + ", not " + needed.wire(),
                Map.of("status", pair.status().wire()));
    }

    private static Pair existing(Reads reads, long id) {
        return reads.pair(id).orElseThrow(() -> new RelayError.NotFound("pair " + id + " not found"));
    }
}
