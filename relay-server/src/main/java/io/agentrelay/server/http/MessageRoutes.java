package io.agentrelay.server.http;

import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Target;
import io.agentrelay.server.agents.SessionGuard;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.messages.MarkRead;
import io.agentrelay.server.messages.MessageService;
import io.agentrelay.server.messages.SendMessage;
import io.agentrelay.server.store.MessageQuery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code /api/messages} and {@code /api/system/broadcast}. */
final class MessageRoutes implements Routes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final int MAX_QUEUED_FOR = 240;

    private final MessageService messages;

    MessageRoutes(MessageService messages) {
        this.messages = messages;
    }

    @Override
    public void register(Api api) {
        // Fixed paths before the ":id" ones, which would otherwise swallow them.
        api.post("/api/messages", this::send)
                .get("/api/messages", this::list)
                .get("/api/messages/cursor", this::cursor)
                .get("/api/messages/queued", this::queued)
                .post("/api/messages/read", this::readMany)
                .get("/api/messages/:id", this::get)
                .get("/api/messages/:id/thread", this::thread)
                .get("/api/messages/:id/status", this::status)
                .post("/api/messages/:id/claim", this::claim)
                .post("/api/messages/:id/release", this::release)
                .post("/api/messages/:id/read", this::read)
                .delete("/api/messages/:id", this::delete)
                .post("/api/system/broadcast", this::broadcast);
    }

    private CompletionStage<Reply> send(Request request) {
        JsonBody body = request.json();
        SendMessage command = new SendMessage(body.string("from"), Require.target("to", body.string("to")),
                body.choice("kind", MessageKind.class), body.string("subject"), body.string("body"),
                body.integer("replyTo"), Boolean.TRUE.equals(body.bool("claimable")), body.string("idempotencyKey"),
                body.object("meta"), body.object("payload"), body.string("channel"), body.smallInteger("maxAgeSeconds"),
                Guards.of(request));
        return messages.send(command).thenApply(sent -> new Reply(sent.created() ? 201 : 200, new SentReply(sent)));
    }

    private CompletionStage<Reply> list(Request request) {
        String agentId = emptyToNull(request.query("for"));
        MessageQuery query = new MessageQuery(
                Params.integer("since", request.query("since"), 0, 0, Long.MAX_VALUE),
                Params.integer("before", request.query("before"), 0, 0, Long.MAX_VALUE),
                (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
                emptyToNull(request.query("channel")),
                Params.choice("kind", request.query("kind"), MessageKind.class),
                Params.bool("unread", request.query("unread")));
        if (agentId != null) {
            Require.agentId("for", agentId);
        }
        return messages.list(agentId, query).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> cursor(Request request) {
        String agentId = Require.agentId("for", request.requiredQuery("for"));
        return messages.cursor(agentId).thenApply(cursor -> Reply.ok(Map.of("cursor", cursor)));
    }

    /**
     * The messages waiting for a {@code policy:}/{@code pool:} target, oldest first (TypeScript
     * route: {@code for} required, {@code limit} 1…500, a bare array).
     */
    private CompletionStage<Reply> queued(Request request) {
        Target target = Require.target("for", Require.text("for", request.query("for"), MAX_QUEUED_FOR));
        int limit = (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        return messages.queued(target, limit).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return messages.get(id(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> thread(Request request) {
        return messages.thread(id(request)).thenApply(list -> Reply.ok(Map.of("messages", list)));
    }

    private CompletionStage<Reply> status(Request request) {
        return messages.status(id(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> claim(Request request) {
        long id = id(request);
        String agentId = Require.agentId("agentId", request.json().string("agentId"));
        SessionGuard guard = Guards.of(request);
        return messages.claim(id, agentId, guard).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> release(Request request) {
        long id = id(request);
        String agentId = Require.agentId("agentId", request.json().string("agentId"));
        return messages.release(id, agentId, Guards.of(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> read(Request request) {
        long id = id(request);
        return messages.markRead(MarkRead.one(request.json().string("agentId"), id)).thenApply(MessageRoutes::readReply);
    }

    private CompletionStage<Reply> readMany(Request request) {
        JsonBody body = request.json();
        MarkRead command = new MarkRead(body.string("agentId"), body.integers("ids"), body.integer("upTo"));
        return messages.markRead(command).thenApply(MessageRoutes::readReply);
    }

    private CompletionStage<Reply> delete(Request request) {
        return messages.delete(id(request)).thenApply(v -> Reply.ok(Map.of("ok", true)));
    }

    private CompletionStage<Reply> broadcast(Request request) {
        JsonBody body = request.json();
        SendMessage command = SendMessage.broadcast(body.string("subject"), body.string("body"));
        return messages.sendAsRelay(command).thenApply(sent -> Reply.created(new SentReply(sent)));
    }

    private static Reply readReply(List<Long> marked) {
        return Reply.ok(Map.of("ok", true, "marked", marked));
    }

    private static long id(Request request) {
        String raw = request.path("id");
        // A word is a path this relay has no route for (say /api/messages/pending), not a bad id.
        if (!raw.isEmpty() && Character.isLetter(raw.charAt(0))) {
            throw request.noRoute();
        }
        return Params.id("id", raw, "message");
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
