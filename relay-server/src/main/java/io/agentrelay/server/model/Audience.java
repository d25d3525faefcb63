package io.agentrelay.server.model;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.Message;
import io.agentrelay.api.Target;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one answer to "does this concern agent A?". An agent's audience is the set of wire targets
 * that reach it: its id, {@code broadcast}, and {@code tag:}/{@code cap:}/{@code label:} for each of
 * its tags, capabilities and label. Inbox queries use {@link #targets()} in SQL; live streams use
 * {@link #concerns(Event)}; both therefore agree by construction.
 *
 * <p>A {@code policy:} or {@code pool:} target is in no audience: such a message is delivered to
 * one agent by resolution ({@link #receives(Message)}), and its {@code message.new} event is
 * addressed to that agent.
 *
 * <p>Matching is by the agent's current card, so an agent that gains a tag also sees earlier
 * messages sent to that tag.
 */
public record Audience(String agentId, Set<String> targets) {

    public Audience {
        targets = Set.copyOf(targets);
    }

    /** The audience of a registered agent. */
    public static Audience of(AgentCard agent) {
        Set<String> targets = new LinkedHashSet<>();
        targets.add(new Target.Agent(agent.id()).wire());
        targets.add(Target.Broadcast.INSTANCE.wire());
        agent.tags().forEach(tag -> targets.add(new Target.Tag(tag).wire()));
        agent.capabilities().forEach(cap -> targets.add(new Target.Capability(cap).wire()));
        if (agent.label() != null) {
            targets.add(new Target.Label(agent.label()).wire());
        }
        return new Audience(agent.id(), targets);
    }

    /** The audience of an id no agent has registered (yet): direct messages and broadcasts. */
    public static Audience unregistered(String agentId) {
        return new Audience(agentId, Set.of(agentId, Target.Broadcast.INSTANCE.wire()));
    }

    /** Whether a message addressed to {@code wireTarget} reaches this agent. */
    public boolean reachedBy(String wireTarget) {
        return wireTarget != null && targets.contains(wireTarget);
    }

    /**
     * Whether a message from {@code from} to {@code wireTarget} is one this agent received: its
     * target reaches the agent, and the agent did not send it itself — unless it was addressed to
     * the agent directly. Inbox queries, delivery status and claims all use this rule.
     */
    public boolean receives(String from, String wireTarget) {
        return reachedBy(wireTarget) && (!agentId.equals(from) || agentId.equals(wireTarget));
    }

    /**
     * Whether this agent received {@code message}: a {@code policy:}/{@code pool:} message reaches
     * only the one agent it was resolved to (and, while queued or once expired, nobody); any other
     * as {@link #receives(String, String)} says. Whether it was delivered yet is the caller's
     * question ({@link Message#deliveryStatus()}).
     */
    public boolean receives(Message message) {
        if (message.resolvedToAgent() != null) {
            return agentId.equals(message.resolvedToAgent());
        }
        return receives(message.from(), message.to());
    }

    /** Whether an event belongs on this agent's stream: addressed to it, or about it. */
    public boolean concerns(Event event) {
        return reachedBy(event.scope().target()) || agentId.equals(event.scope().agentId());
    }
}
