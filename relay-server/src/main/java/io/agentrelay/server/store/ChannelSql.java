package io.agentrelay.server.store;

import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.Wire;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Channel bindings ({@code channel_bindings}). A bind is one upsert on the table's unique
 * (channel, conversation, target) key, so racing binds of one pair — on any node — make one row
 * whose mode and priority are the last writer's. In the table a channel-wide binding has
 * conversation {@code ''} and the broadcast target id {@code ''}; outside it both are null.
 */
final class ChannelSql {
    private static final String COLUMNS = "id, channel_id, conversation_id, target_type, target_id, mode, priority, "
            + "created_at, updated_at";
    private static final String UPSERT = "INSERT INTO channel_bindings (channel_id, conversation_id, target_type, "
            + "target_id, mode, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (channel_id, conversation_id, target_type, target_id) DO UPDATE SET mode = excluded.mode, "
            + "priority = excluded.priority, updated_at = excluded.updated_at RETURNING " + COLUMNS;

    private final Sql sql;

    ChannelSql(Sql sql) {
        this.sql = sql;
    }

    ChannelBinding upsert(NewBinding binding) {
        return sql.writeReturning(UPSERT, Arrays.asList(binding.channelId(),
                binding.conversationId() == null ? "" : binding.conversationId(), binding.target().type().wire(),
                binding.target().id() == null ? "" : binding.target().id(), binding.mode().wire(), binding.priority(),
                binding.at(), binding.at()), ChannelSql::row).get(0);
    }

    Optional<ChannelBinding> binding(long id) {
        return sql.query("SELECT " + COLUMNS + " FROM channel_bindings WHERE id = ?", List.of(id), ChannelSql::row)
                .stream().findFirst();
    }

    /** A channel's bindings (null: every channel's), by channel, then id. */
    List<ChannelBinding> bindings(String channelId) {
        StringBuilder text = new StringBuilder("SELECT " + COLUMNS + " FROM channel_bindings");
        List<Object> args = new ArrayList<>();
        if (channelId != null) {
            text.append(" WHERE channel_id = ?");
            args.add(channelId);
        }
        text.append(" ORDER BY channel_id, id");
        return sql.query(text.toString(), args, ChannelSql::row);
    }

    boolean delete(long id) {
        return sql.update("DELETE FROM channel_bindings WHERE id = ?", List.of(id)) > 0;
    }

    private static ChannelBinding row(ResultSet rs) throws SQLException {
        String conversation = rs.getString("conversation_id");
        String targetId = rs.getString("target_id");
        long priority = rs.getLong("priority");
        Long maybePriority = rs.wasNull() ? null : priority;
        ChannelBinding.TargetType type = Wire.find(ChannelBinding.TargetType.class, rs.getString("target_type"));
        return new ChannelBinding(rs.getLong("id"), rs.getString("channel_id"),
                conversation.isEmpty() ? null : conversation,
                new ChannelBinding.BindingTarget(type, targetId.isEmpty() ? null : targetId),
                Wire.find(ChannelBinding.Mode.class, rs.getString("mode")), maybePriority,
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
