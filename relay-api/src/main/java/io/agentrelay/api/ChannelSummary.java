package io.agentrelay.api;

import java.util.List;

/**
 * A channel as {@code GET /api/channels} lists it: an agent that bridges an outside conversation
 * system (Slack, Telegram, a web chat), described from its card ({@code kind}, {@code meta},
 * {@code tags}). {@code id} is the channel's id ({@code meta.channelId}, else the agent's id),
 * {@code agentId} the agent that speaks for it.
 */
public record ChannelSummary(String id, String name, String type, String transport, String agentId,
                             String accountId, AgentStatus status, boolean ready, String direction,
                             List<String> topicChannels) {

    public ChannelSummary {
        topicChannels = topicChannels == null ? List.of() : List.copyOf(topicChannels);
    }
}
