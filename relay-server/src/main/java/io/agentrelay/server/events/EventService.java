package io.agentrelay.server.events;

import io.agentrelay.server.model.Audience;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.Store;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Reading the event log: a page of it, or where a live stream starts and what it carries. */
public final class EventService {
    public static final int MAX_PAGE = 1000;

    private final Store store;
    private final LogHead head;
    private final Consumer<String> signOfLife;

    /**
     * @param head       this node's position in the log: where a stream without a resume point starts
     * @param signOfLife records that an agent showed up (an agent opening its own stream)
     */
    public EventService(Store store, LogHead head, Consumer<String> signOfLife) {
        this.store = store;
        this.head = head;
        this.signOfLife = signOfLife;
    }

    /** {@code GET /api/events}: events above {@code after}, oldest first, and how far the log goes. */
    public record Page(List<Event> events, long lastEventId) {
    }

    /**
     * A live stream's start: replay above {@code after}; {@code filter} decides which events the
     * stream carries (replayed and live); {@code place} is the WebSocket's channel-or-topic test
     * on each event the filter lets through (the store's replay query knows no topics).
     */
    public record Opening(long after, StreamFilter filter, Predicate<Published> place) {
    }

    /** Events above {@code after}, of {@code types} (empty: all), concerning {@code agentId} (null: anyone). */
    public CompletableFuture<Page> page(long after, int limit, Set<EventType> types, String agentId) {
        return store.read(reads -> {
            Audience audience = agentId == null ? null : reads.audienceOf(agentId);
            return reads.events(new EventQuery(after, Long.MAX_VALUE, limit, types, audience));
        }).thenApply(events -> new Page(events, head.position()));
    }

    /** Resolves what a stream carries (its agents' cards are read once, here). */
    public CompletableFuture<Opening> open(OpenStream command) {
        // Without a resume point a stream starts at the live tail, not at the beginning of history.
        long after = command.after() != null ? command.after() : head.position();
        CompletableFuture<List<Audience>> audiences = command.agents().isEmpty()
                ? CompletableFuture.completedFuture(null)
                : store.read(reads -> command.agents().stream().map(reads::audienceOf).toList());
        return audiences.thenApply(resolved -> {
            if (command.signOfLife()) {
                // The stream does not wait for it.
                command.agents().forEach(signOfLife);
            }
            return new Opening(after, filter(command, resolved), place(command));
        });
    }

    private static StreamFilter filter(OpenStream command, List<Audience> audiences) {
        if (command.everything()) {
            return new StreamFilter(Set.of(), Set.of(), null);
        }
        if (command.nothing()) {
            return StreamFilter.NOTHING;
        }
        // Channel OR topic: with topics, the filter keeps types and agents, and the place test
        // checks channel or topic on every event the filter lets through.
        return new StreamFilter(command.types(), command.topics().isEmpty() ? command.channels() : Set.of(), audiences);
    }

    private static Predicate<Published> place(OpenStream command) {
        if (command.everything() || command.topics().isEmpty()) {
            return event -> true;
        }
        Set<String> channels = command.channels();
        Set<String> topics = command.topics();
        return event -> {
            String channel = event.event().scope().channel();
            return (channel != null && channels.contains(channel)) || event.topics().matches(topics);
        };
    }
}
