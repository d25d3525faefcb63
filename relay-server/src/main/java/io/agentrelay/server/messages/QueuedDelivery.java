package io.agentrelay.server.messages;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.Target;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.AgentQuery;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Tx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivery to {@code policy:} and {@code pool:} targets, which name no agent until one is there.
 * A message to such a target is delivered at once to one agent when there is one (its
 * {@code resolvedToAgent}); otherwise it is stored {@code queued} and announced with
 * {@code message.queued}, then delivered when an agent turns up ({@code message.available}, then
 * {@code message.new} for each), or expired by the reaper once its {@code maxAgeSeconds} run out
 * ({@code message.expired}). Every move of a queued message is a conditional update, so two nodes
 * resolving the same queue deliver each message once.
 *
 * <p>Who is there: a policy's agent is the one {@link PolicyAgents} names (the relay wires the
 * spawn policy's running agent, or for a policy it never started the agent that declared it in
 * {@code meta.policyName}); a pool's members are
 * the agents whose {@code meta.pool} is the pool's name or whose {@code meta.pools} lists it, and
 * that are online, idle or busy. Of the members, a message goes to one that is not busy if there is
 * one, then to the one whose last message from this pool is the oldest (round robin), then by id.
 */
public final class QueuedDelivery {
    /** Queued messages handled per read while resolving or expiring a backlog. */
    private static final int PAGE = 500;
    private static final Comparator<Candidate> ORDER = Comparator.comparing(Candidate::busy)
            .thenComparingLong(Candidate::lastResolved).thenComparing(candidate -> candidate.agent().id());

    private final PolicyAgents policyAgents;

    public QueuedDelivery(PolicyAgents policyAgents) {
        this.policyAgents = policyAgents;
    }

    /** Which agent runs a spawn policy now, if any. */
    @FunctionalInterface
    public interface PolicyAgents {
        Optional<AgentCard> current(Reads reads, String policyName);

        /**
         * For a policy the relay has never started: the agent, online, idle or busy, that registered
         * with {@code meta.policyName} set to the policy's name, the most recently seen one first.
         */
        PolicyAgents BY_REGISTRATION = (reads, policyName) -> reads.agents(AgentQuery.ALL).stream()
                .filter(QueuedDelivery::present)
                .filter(agent -> policyName.equals(agent.meta().get("policyName")))
                .max(Comparator.comparingLong(AgentCard::lastSeenAt).thenComparing(AgentCard::id));

        /**
         * A policy the relay manages (it has a managed-agent state) is run by the agent
         * {@code managed} names; a policy it has never started, by the agent that declared it
         * ({@link #BY_REGISTRATION}).
         */
        static PolicyAgents managedOrDeclared(PolicyAgents managed) {
            return (reads, policyName) -> reads.policyState(policyName).isPresent()
                    ? managed.current(reads, policyName) : BY_REGISTRATION.current(reads, policyName);
        }
    }

    /** Whether {@code target} is delivered by resolution rather than by matching. */
    static boolean resolves(Target target) {
        return target instanceof Target.Policy || target instanceof Target.Pool;
    }

    /** The agent a new message to {@code target} goes to now; empty means it waits. */
    Optional<String> recipient(Reads reads, Target target) {
        return switch (target) {
            case Target.Policy policy -> policyAgents.current(reads, policy.name()).map(AgentCard::id);
            case Target.Pool pool -> pick(reads, pool, members(reads, pool.name()), new Turns());
            default -> Optional.empty();
        };
    }

    /**
     * A registration's part: the messages waiting for the agent's policy and pools are delivered
     * (a pool's to all its members in turn). Runs in the registration's transaction.
     */
    public void registered(Tx tx, AgentCard agent, long now) {
        if (!present(agent)) {
            return;
        }
        if (agent.meta().get("policyName") instanceof String policy && !policy.isEmpty()) {
            Target.Policy target = new Target.Policy(policy);
            policyAgents.current(tx, policy).filter(current -> current.id().equals(agent.id()))
                    .ifPresent(current -> resolveAll(tx, target, List.of(current), now));
        }
        for (String pool : pools(agent)) {
            Target.Pool target = new Target.Pool(pool);
            resolveAll(tx, target, members(tx, pool), now);
        }
    }

    /**
     * The reaper's part: delivers what waits for a target that now has an agent (one that came back
     * from stale, or whose card changed), and returns the ids delivered.
     */
    public List<Long> resolveWaiting(Tx tx, long now) {
        List<Long> delivered = new ArrayList<>();
        for (String wire : tx.queuedTargets()) {
            Target target;
            try {
                target = Target.parse(wire);
            } catch (IllegalArgumentException e) {
                continue;
            }
            List<AgentCard> agents = switch (target) {
                case Target.Policy policy -> policyAgents.current(tx, policy.name()).map(List::of).orElse(List.of());
                case Target.Pool pool -> members(tx, pool.name());
                default -> List.of();
            };
            delivered.addAll(resolveAll(tx, target, agents, now));
        }
        return delivered;
    }

    /**
     * The reaper's part: queued messages whose {@code maxAgeSeconds} ran out become
     * {@code expired}, each announced with {@code message.expired}; returns their ids.
     */
    public static List<Long> expire(Tx tx, long now) {
        List<Long> expired = new ArrayList<>();
        while (true) {
            List<Message> page = tx.queuedToExpire(now, PAGE);
            for (Message message : page) {
                if (tx.expireQueued(message.id())) {
                    tx.append(EventType.MESSAGE_EXPIRED, Event.Origin.server(message.id()),
                            new Event.Scope(message.to(), message.from(), message.channel()),
                            message.withDelivery(DeliveryStatus.EXPIRED, null), now);
                    expired.add(message.id());
                }
            }
            if (page.size() < PAGE) {
                return expired;
            }
        }
    }

    /** Delivers every message waiting for {@code target} to {@code agents} (one each, in turn). */
    private List<Long> resolveAll(Tx tx, Target target, List<AgentCard> agents, long now) {
        if (agents.isEmpty()) {
            return List.of();
        }
        Map<String, List<Long>> byAgent = new LinkedHashMap<>();
        List<Message> resolved = new ArrayList<>();
        Turns turns = new Turns();
        long after = 0;
        while (true) {
            List<Message> page = tx.queuedMessages(target.wire(), after, PAGE);
            for (Message message : page) {
                String agentId = target instanceof Target.Pool pool
                        ? pick(tx, pool, agents, turns).orElseThrow() : agents.get(0).id();
                if (tx.resolveQueued(message.id(), agentId)) {
                    resolved.add(message.withDelivery(DeliveryStatus.DELIVERED, agentId));
                    byAgent.computeIfAbsent(agentId, id -> new ArrayList<>()).add(message.id());
                }
                after = message.id();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        byAgent.forEach((agentId, ids) -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(target instanceof Target.Policy ? "policyName" : "poolName", name(target));
            data.put("agentId", agentId);
            data.put("messageIds", ids);
            data.put("count", ids.size());
            tx.append(EventType.MESSAGE_AVAILABLE, Event.Origin.server(target.wire()),
                    new Event.Scope(agentId, agentId, null), data, now);
        });
        for (Message message : resolved) {
            tx.append(EventType.MESSAGE_NEW, Event.Origin.of(message.from(), message.id()),
                    new Event.Scope(message.resolvedToAgent(), message.from(), message.channel()), message, now);
        }
        return resolved.stream().map(Message::id).toList();
    }

    private record Candidate(AgentCard agent, boolean busy, long lastResolved) {
    }

    /**
     * The members given a message in this transaction, each with its turn: numbers above every
     * message id, growing, so a backlog is dealt out in turn rather than all to one member.
     */
    private static final class Turns {
        private final Map<String, Long> given = new HashMap<>();
        private long next = Long.MAX_VALUE / 2;

        long lastResolved(Reads reads, AgentCard agent, Target.Pool pool) {
            Long turn = given.get(agent.id());
            return turn != null ? turn : reads.lastResolved(agent.id(), pool.wire());
        }

        void give(String agentId) {
            given.put(agentId, next++);
        }
    }

    /** The member a pool message goes to (see the class's comment for the order). */
    private static Optional<String> pick(Reads reads, Target.Pool pool, List<AgentCard> members, Turns turns) {
        Optional<String> chosen = members.stream()
                .map(agent -> new Candidate(agent, agent.status() == AgentStatus.BUSY,
                        turns.lastResolved(reads, agent, pool)))
                .min(ORDER).map(candidate -> candidate.agent().id());
        chosen.ifPresent(turns::give);
        return chosen;
    }

    private static List<AgentCard> members(Reads reads, String pool) {
        return reads.agents(AgentQuery.ALL).stream().filter(QueuedDelivery::present)
                .filter(agent -> pools(agent).contains(pool)).toList();
    }

    /** The pools an agent's card names: {@code meta.pool}, and the strings of {@code meta.pools}. */
    static List<String> pools(AgentCard agent) {
        List<String> pools = new ArrayList<>();
        if (agent.meta().get("pool") instanceof String pool && !pool.isEmpty()) {
            pools.add(pool);
        }
        if (agent.meta().get("pools") instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast)
                    .filter(pool -> !pool.isEmpty() && !pools.contains(pool)).forEach(pools::add);
        }
        return pools;
    }

    private static boolean present(AgentCard agent) {
        return agent.status().present();
    }

    private static String name(Target target) {
        return switch (target) {
            case Target.Policy policy -> policy.name();
            case Target.Pool pool -> pool.name();
            default -> target.wire();
        };
    }
}
