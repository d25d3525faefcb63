package io.agentrelay.server.store;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Target;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated world for the matcher's property test: agents with random tags, capabilities and
 * labels drawn from small pools (so that they overlap, differ only in case, or carry spaces), and
 * messages to random targets written as a sender would spell them (prefixes in any case, labels
 * with stray spaces) and stored as the relay stores them, {@link Target#parse} then
 * {@link Target#wire}. Every name carries the world's prefix, so worlds written one after another
 * into one store meet only through {@code broadcast}.
 */
final class MatcherWorld {
    private static final List<String> TAGS = List.of("review", "Review", "java", "ops", "x", "ré");
    private static final List<String> CAPABILITIES = List.of("java", "Java", "sql", "review", "x");
    private static final List<String> LABELS = List.of("lead", "Lead", "backend fixer", "x");
    private static final List<String> CHANNELS = List.of("dev", "ops");

    final String prefix;
    final List<AgentCard> agents = new ArrayList<>();
    /** Ids that receive direct messages but never registered. */
    final List<String> unregistered = new ArrayList<>();
    private final Random random;

    MatcherWorld(long seed, int index) {
        this.random = new Random(seed);
        this.prefix = "w" + index + "-";
        int count = 2 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            String id = prefix + (random.nextInt(4) == 0 ? "ops:agent-" : "agent-") + i;
            agents.add(new AgentCard(id, id, AgentKind.PROVIDER, random.nextInt(3) == 0 ? null : name(LABELS),
                    names(TAGS), names(CAPABILITIES), AgentStatus.ONLINE, true, null, "inst-" + id, 1, Map.of(),
                    1_000, 1_000, 1_000));
        }
        unregistered.add(prefix + "ghost");
    }

    /** What {@link #write} wrote, in id order. */
    record Written(List<Message> messages, List<Event> events) {
    }

    /** Writes the world's registrations and messages in one transaction, as the services would. */
    Written write(Tx tx) {
        List<Event> events = new ArrayList<>();
        for (AgentCard agent : agents) {
            tx.saveAgent(agent);
            events.add(tx.append(EventType.AGENT_REGISTERED, Event.Origin.server(agent.id()),
                    Event.Scope.agent(agent.id()), agent, 1_000));
        }
        List<Message> messages = new ArrayList<>();
        int count = 10 + random.nextInt(40);
        for (int i = 0; i < count; i++) {
            String from = random.nextInt(5) == 0 ? unregistered.get(0) : agents.get(random.nextInt(agents.size())).id();
            Target target = Target.parse(spelledTarget());
            String to = target.wire();
            DeliveryStatus status = random.nextInt(6) == 0 ? DeliveryStatus.QUEUED : DeliveryStatus.DELIVERED;
            // A policy:/pool: message is delivered to one agent by resolution, or waits.
            boolean resolves = target instanceof Target.Pool || target instanceof Target.Policy;
            String resolvedTo = resolves && status == DeliveryStatus.DELIVERED
                    ? agents.get(random.nextInt(agents.size())).id() : null;
            String channel = random.nextInt(3) == 0 ? prefix + CHANNELS.get(random.nextInt(CHANNELS.size())) : null;
            Message message = tx.insertMessage(new NewMessage(from, to, MessageKind.CHAT, null, "m" + i, null, null,
                    false, null, Map.of(), Map.of(), channel, null, status, resolvedTo, 2_000 + i));
            // The type, origin and scope MessageService gives a new message's event: a resolved
            // message is addressed to its agent; a waiting policy:/pool: message is "queued".
            EventType type = resolves && resolvedTo == null ? EventType.MESSAGE_QUEUED : EventType.MESSAGE_NEW;
            events.add(tx.append(type, Event.Origin.of(message.from(), message.id()),
                    new Event.Scope(resolvedTo != null ? resolvedTo : message.to(), message.from(), message.channel()),
                    message, 2_000 + i));
            if (random.nextInt(4) == 0) {
                // Another agent's claim: an event about that agent, to the message's target.
                String holder = agents.get(random.nextInt(agents.size())).id();
                events.add(tx.append(EventType.MESSAGE_CLAIMED, Event.Origin.of(holder, message.id()),
                        new Event.Scope(message.to(), holder, message.channel()), message, 2_000 + i));
            }
            messages.add(message);
        }
        return new Written(messages, events);
    }

    /** The audience of every agent of this world, registered or not. */
    List<Audience> audiences() {
        List<Audience> all = new ArrayList<>();
        agents.forEach(agent -> all.add(Audience.of(agent)));
        unregistered.forEach(id -> all.add(Audience.unregistered(id)));
        return all;
    }

    /** A random subset of the audiences, as a WebSocket subscription to several agents names them. */
    List<Audience> someAudiences() {
        List<Audience> all = audiences();
        List<Audience> some = new ArrayList<>();
        int count = 1 + random.nextInt(Math.min(3, all.size()));
        while (some.size() < count) {
            Audience next = all.get(random.nextInt(all.size()));
            if (!some.contains(next)) {
                some.add(next);
            }
        }
        return some;
    }

    /** No channel filter, or one or two of this world's channels. */
    Set<String> someChannels() {
        Set<String> channels = new LinkedHashSet<>();
        if (random.nextBoolean()) {
            channels.add(prefix + CHANNELS.get(random.nextInt(CHANNELS.size())));
        }
        return channels;
    }

    /** No type filter, or one or two of the types this world writes. */
    Set<EventType> someTypes() {
        List<EventType> written = List.of(EventType.AGENT_REGISTERED, EventType.MESSAGE_NEW, EventType.MESSAGE_CLAIMED,
                EventType.MESSAGE_QUEUED);
        Set<EventType> types = new LinkedHashSet<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            types.add(written.get(random.nextInt(written.size())));
        }
        return types;
    }

    private String spelledTarget() {
        return switch (random.nextInt(11)) {
            case 0 -> agents.get(random.nextInt(agents.size())).id();
            case 1 -> unregistered.get(0);
            case 2 -> prefix + "nobody";
            case 3 -> anyCase("tag") + ":" + prefix + TAGS.get(random.nextInt(TAGS.size()));
            case 4 -> anyCase("cap") + ":" + prefix + CAPABILITIES.get(random.nextInt(CAPABILITIES.size()));
            case 5 -> anyCase("label") + ":" + (random.nextBoolean() ? "  " : "") + prefix
                    + LABELS.get(random.nextInt(LABELS.size())) + (random.nextBoolean() ? " " : "");
            case 6 -> anyCase("broadcast");
            case 7 -> anyCase("tag") + ":" + prefix + CAPABILITIES.get(random.nextInt(CAPABILITIES.size()));
            case 9 -> anyCase("pool") + ":" + prefix + TAGS.get(random.nextInt(TAGS.size()));
            case 10 -> anyCase("policy") + ":" + prefix + LABELS.get(random.nextInt(LABELS.size())).replace(' ', '-');
            default -> anyCase("cap") + ":" + prefix + TAGS.get(random.nextInt(TAGS.size()));
        };
    }

    private String anyCase(String word) {
        return switch (random.nextInt(3)) {
            case 0 -> word;
            case 1 -> word.toUpperCase(Locale.ROOT);
            default -> Character.toUpperCase(word.charAt(0)) + word.substring(1);
        };
    }

    private String name(List<String> pool) {
        return prefix + pool.get(random.nextInt(pool.size()));
    }

    private List<String> names(List<String> pool) {
        Set<String> names = new LinkedHashSet<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            names.add(name(pool));
        }
        return List.copyOf(names);
    }
}
