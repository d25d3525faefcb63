package io.agentrelay.server.channels;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.server.store.AgentQuery;
import io.agentrelay.server.store.Reads;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which agents are channels and how each is described, as the TypeScript server derives them
 * ({@code agentToChannel}): a channel is an agent of kind {@code channel}, or whose
 * {@code meta.kind} is {@code channel} or {@code communication-channel}, or that has the tag or the
 * capability {@code channel}. Channels are not stored apart: they are a view of the agents.
 */
public final class Channels {
    static final String DEFAULT_TYPE = "custom";
    static final String DEFAULT_DIRECTION = "bidirectional";
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound", DEFAULT_DIRECTION);
    /** Ready channels first, then by name, then by id. */
    static final Comparator<ChannelSummary> ORDER = Comparator.comparing((ChannelSummary c) -> !c.ready())
            .thenComparing(ChannelSummary::name).thenComparing(ChannelSummary::id);

    private Channels() {
    }

    public static boolean isChannel(AgentCard agent) {
        Object metaKind = agent.meta().get("kind");
        return agent.kind() == AgentKind.CHANNEL || "channel".equals(metaKind) || "communication-channel".equals(metaKind)
                || agent.tags().contains("channel") || agent.capabilities().contains("channel");
    }

    /** The channel an agent stands for; {@code agent} must be one ({@link #isChannel}). */
    public static ChannelSummary summary(AgentCard agent) {
        Map<String, Object> meta = agent.meta();
        String type = text(meta, "channelType");
        if (type == null) {
            type = text(meta, "type");
        }
        if (type == null) {
            type = agent.tags().stream().filter(tag -> tag.startsWith("channel:") && tag.length() > "channel:".length())
                    .map(tag -> tag.substring("channel:".length())).findFirst().orElse(DEFAULT_TYPE);
        }
        String transport = text(meta, "transport");
        String accountId = text(meta, "accountId");
        if (accountId == null) {
            accountId = agent.id().startsWith(type + ":") ? agent.id().substring(type.length() + 1) : agent.id();
        }
        String direction = text(meta, "direction");
        String channelId = text(meta, "channelId");
        List<String> topics = meta.get("topicChannels") instanceof List<?> list
                ? list.stream().filter(String.class::isInstance).map(String.class::cast).toList() : List.of();
        return new ChannelSummary(channelId == null ? agent.id() : channelId, agent.name(), type,
                transport == null ? type : transport, agent.id(), accountId, agent.status(), agent.ready(),
                direction != null && DIRECTIONS.contains(direction) ? direction : DEFAULT_DIRECTION, topics);
    }

    /** Every channel, ready ones first, then by name. */
    static List<ChannelSummary> all(Reads reads) {
        return reads.agents(AgentQuery.ALL).stream().filter(Channels::isChannel).map(Channels::summary)
                .sorted(ORDER).toList();
    }

    /**
     * The channel with this id; failing that, the channel whose agent has this id (a channel whose
     * {@code meta.channelId} differs from its agent's id can be addressed either way).
     */
    static Optional<ChannelSummary> find(Reads reads, String id) {
        List<ChannelSummary> all = all(reads);
        return all.stream().filter(channel -> channel.id().equals(id)).findFirst()
                .or(() -> all.stream().filter(channel -> channel.agentId().equals(id)).findFirst());
    }

    private static String text(Map<String, Object> meta, String key) {
        return meta.get(key) instanceof String value && !value.isEmpty() ? value : null;
    }
}
