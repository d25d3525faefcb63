package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Message;
import io.agentrelay.api.Pair;
import io.agentrelay.api.RelayEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code /api/pairs}: two agents working as a pair. One {@link #invite invites} the other (the
 * invitee gets a {@code kind:"pair"} message carrying {@code payload.pair.id}); the invitee
 * {@link #accept accepts} or {@link #reject rejects}; while the pair is active the members
 * {@link #send write} to each other in one thread; either {@link #end ends} it (the inviter may
 * also end a pending invitation, withdrawing it). Invitations nobody answers expire. Get it from
 * {@link RelayClient#pairs()}. Every call is synchronous and thread-safe, and throws
 * {@link RelayException} when refused: {@link RelayException.Conflict} for a move the pair's status
 * does not allow, for a second open pair of the same two agents, and for the loser of a race.
 */
public final class Pairs {
    private final Transport transport;
    private final Events events;

    Pairs(Transport transport, Events events) {
        this.transport = transport;
        this.events = events;
    }

    /** Invites; the new pending pair. */
    public Pair invite(PairInvitation invitation) {
        return transport.read(transport.post("/api/pairs", invitation.requestBody()).body(), Pair.class);
    }

    /** Shorthand: {@code from} invites {@code to} about {@code topic} (null for none). */
    public Pair invite(String from, String to, String topic) {
        return invite(PairInvitation.of(from, to).withTopic(topic));
    }

    /** The newest pairs (at most 100), any member and status. */
    public List<Pair> list() {
        return list(PairFilter.ALL);
    }

    /** The pairs that match {@code filter}, newest first. */
    public List<Pair> list(PairFilter filter) {
        JsonNode body = transport.get(Transport.query("/api/pairs", filter.query())).body();
        List<Pair> pairs = new ArrayList<>();
        for (JsonNode pair : body) {
            pairs.add(transport.read(pair, Pair.class));
        }
        return pairs;
    }

    /** One pair; {@link RelayException.NotFound} when there is none with that id. */
    public Pair get(long id) {
        return transport.read(transport.get(path(id)).body(), Pair.class);
    }

    /** The invitee accepts a pending pair: it becomes active. */
    public Pair accept(long id, String agentId) {
        return move(id, "accept", agentId, null, SessionGuard.NONE);
    }

    /** The invitee rejects a pending pair, saying why ({@code reason} may be null). */
    public Pair reject(long id, String agentId, String reason) {
        return move(id, "reject", agentId, reason, SessionGuard.NONE);
    }

    /** A member ends an active pair, or the inviter withdraws a pending one ({@code reason} may be null). */
    public Pair end(long id, String agentId, String reason) {
        return move(id, "end", agentId, reason, SessionGuard.NONE);
    }

    /**
     * A move ({@code accept}, {@code reject} or {@code end}) made from the session {@code guard}
     * names; the other member gets a {@code kind:"pair"} message saying so.
     */
    public Pair move(long id, String action, String agentId, String reason, SessionGuard guard) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(guard, "guard");
        return transport.read(transport.post(path(id) + "/" + action, Transport.body("agentId", agentId, "reason", reason,
                "instanceId", guard.instanceId(), "epoch", guard.epoch())).body(), Pair.class);
    }

    /** A message from {@code from} to the other member of an active pair, in the pair's thread. */
    public Message send(long id, String from, String body) {
        return send(id, from, body, null, SessionGuard.NONE);
    }

    /** {@link #send(long, String, String)} answering {@code replyTo} (a message of the pair's thread; null: the invitation). */
    public Message send(long id, String from, String body, Long replyTo, SessionGuard guard) {
        Objects.requireNonNull(guard, "guard");
        return transport.read(transport.post(path(id) + "/messages", Transport.body("from", from, "body", body,
                "replyTo", replyTo, "instanceId", guard.instanceId(), "epoch", guard.epoch())).body(), Message.class);
    }

    /**
     * Follows the pairs {@code agentId} is a member of (invited, accepted, rejected, ended,
     * expired) on a live stream that resumes after disconnects: each change arrives as the pair
     * after it, once, in order. Close the returned stream to stop.
     */
    public LiveStream follow(String agentId, StreamOptions options, Consumer<Pair> onPair) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(onPair, "onPair");
        EventFilter filter = EventFilter.forAgent(agentId).withTypes(EventFilter.PAIR_CREATED, EventFilter.PAIR_UPDATED);
        return events.subscribe(filter, options, (RelayEvent event) -> onPair.accept(transport.read(event.data(), Pair.class)));
    }

    private static String path(long id) {
        return "/api/pairs/" + id;
    }
}
