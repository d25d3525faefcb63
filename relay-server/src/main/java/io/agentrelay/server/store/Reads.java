package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.Message;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.routing.Audience;
import java.util.List;
import java.util.Optional;

/** Queries over committed state (or, inside a {@link Tx}, over that transaction's view). */
public interface Reads {

    Optional<AgentCard> agent(String id);

    /** All agents matching the filter, by id. */
    List<AgentCard> agents(AgentQuery query);

    Optional<Message> message(long id);

    Optional<Message> messageByIdempotencyKey(String from, String idempotencyKey);

    /**
     * Messages that reach {@code audience} with id above {@code query.since()}, oldest first,
     * excluding those the agent sent itself unless addressed to it directly; each carries the
     * agent's read flag.
     */
    List<Message> inbox(Audience audience, MessageQuery query);

    /** Recent messages of any recipient, newest first (the dashboard's view). */
    List<Message> recent(MessageQuery query);

    /** The highest message id that {@link #inbox} could return for {@code audience}, or 0. */
    long cursor(Audience audience);

    /** Every message of a reply chain, oldest first. */
    List<Message> thread(long threadId);

    /** Ids of the agents that marked {@code messageId} read, with when. */
    List<ReadMark> readMarks(long messageId);

    /** Events with id above {@code query.after()}, oldest first. */
    List<Event> events(EventQuery query);

    /**
     * Where a replay bounded to the {@code newest} most recent matches of {@code query} starts: the
     * id above which exactly those matches lie, or {@code query.after()} when there are no more
     * than {@code newest}.
     */
    long replayStart(EventQuery query, int newest);

    Counts counts();

    /** One agent's read of one message. */
    record ReadMark(String agentId, long readAt) {
    }

    /** Sizes for {@code /api/stats}. */
    record Counts(long agents, long agentsOnline, long messages, long claimedMessages, long events,
                  long lastEventId) {
    }
}
