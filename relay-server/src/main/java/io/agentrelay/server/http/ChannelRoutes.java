package io.agentrelay.server.http;

import io.agentrelay.server.channels.BindChannel;
import io.agentrelay.server.channels.ChannelService;
import io.agentrelay.server.errors.RelayError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/channels} and {@code /api/channel-bindings}: the channels (a view of the agents),
 * their bindings, and what a channel posts — events (stored as messages, one per binding) and
 * activity (a {@code channel.activity} event only). Binding removal is ours.
 */
final class ChannelRoutes implements Routes {
    static final String OBJECT_REQUIRED = "JSON object body required";

    private final ChannelService channels;

    ChannelRoutes(ChannelService channels) {
        this.channels = channels;
    }

    @Override
    public void register(Api api) {
        api.get("/api/channels", this::list)
                .post("/api/channels/:id/events", this::event)
                .post("/api/channels/:id/activities", this::activity)
                .get("/api/channel-bindings", this::bindings)
                .post("/api/channel-bindings", this::bind)
                .delete("/api/channel-bindings/:id", this::unbind);
    }

    private CompletionStage<Reply> list(Request request) {
        return channels.list().thenApply(Reply::ok);
    }

    private CompletionStage<Reply> bindings(Request request) {
        String channelId = request.query("channelId");
        if (channelId != null && channelId.length() > BindChannel.MAX_CHANNEL_ID) {
            throw new RelayError.InvalidInput("channelId",
                    "must be at most " + BindChannel.MAX_CHANNEL_ID + " characters");
        }
        return channels.bindings(channelId == null || channelId.isEmpty() ? null : channelId).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> bind(Request request) {
        JsonBody body = request.jsonObject(OBJECT_REQUIRED);
        BindChannel command = new BindChannel(body.string("channelId"), body.string("conversationId"),
                BindChannel.target(body.tree("target")), BindChannel.mode(body.tree("mode")),
                BindChannel.priority(body.tree("priority")), Guards.of(request));
        return channels.bind(command).thenApply(Reply::created);
    }

    private CompletionStage<Reply> unbind(Request request) {
        long id = Params.id("id", request.path("id"), "channel binding");
        return channels.unbind(id).thenApply(binding -> Reply.ok(Map.of("ok", true)));
    }

    private CompletionStage<Reply> event(Request request) {
        JsonBody body = request.jsonObject(OBJECT_REQUIRED);
        return channels.postEvent(request.path("id"), Guards.of(request), body.root()).thenApply(posted -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("messages", posted.messages());
            reply.put("bindings", posted.bindings());
            reply.put("created", posted.created());
            return new Reply(posted.created() ? 201 : 200, reply);
        });
    }

    private CompletionStage<Reply> activity(Request request) {
        JsonBody body = request.jsonObject(OBJECT_REQUIRED);
        return channels.postActivity(request.path("id"), Guards.of(request), body.root()).thenApply(activity -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("ok", true);
            reply.put("activity", activity);
            return Reply.accepted(reply);
        });
    }
}
