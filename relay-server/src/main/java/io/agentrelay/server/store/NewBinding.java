package io.agentrelay.server.store;

import io.agentrelay.api.ChannelBinding;

/** A binding to write: {@code conversationId} null for channel-wide, {@code priority} null for none. */
public record NewBinding(String channelId, String conversationId, ChannelBinding.BindingTarget target,
                         ChannelBinding.Mode mode, Long priority, long at) {
}
