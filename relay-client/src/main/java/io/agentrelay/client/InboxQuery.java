package io.agentrelay.client;

import io.agentrelay.api.MessageKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which of an agent's messages {@link Messages#inbox} returns: those with id above {@code since},
 * oldest first, at most {@code limit} (0: the relay's default of 100; at most 500). Start from
 * {@link #ALL} or {@link #UNREAD}: {@code InboxQuery.UNREAD.withSince(cursor).withLimit(50)}.
 */
public record InboxQuery(long since, int limit, boolean unreadOnly, String channel, MessageKind kind) {
    public static final InboxQuery ALL = new InboxQuery(0, 0, false, null, null);
    public static final InboxQuery UNREAD = new InboxQuery(0, 0, true, null, null);

    public InboxQuery withSince(long value) {
        return new InboxQuery(value, limit, unreadOnly, channel, kind);
    }

    public InboxQuery withLimit(int value) {
        return new InboxQuery(since, value, unreadOnly, channel, kind);
    }

    public InboxQuery withUnreadOnly(boolean value) {
        return new InboxQuery(since, limit, value, channel, kind);
    }

    public InboxQuery withChannel(String value) {
        return new InboxQuery(since, limit, unreadOnly, value, kind);
    }

    public InboxQuery withKind(MessageKind value) {
        return new InboxQuery(since, limit, unreadOnly, channel, value);
    }

    Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("since", since > 0 ? since : null);
        query.put("limit", limit > 0 ? limit : null);
        query.put("unread", unreadOnly ? "true" : null);
        query.put("channel", channel);
        query.put("kind", kind == null ? null : kind.wire());
        return query;
    }
}
