package io.agentrelay.server.http;

import io.agentrelay.api.PairStatus;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.pairs.ActOnPair;
import io.agentrelay.server.pairs.CreatePair;
import io.agentrelay.server.pairs.PairAction;
import io.agentrelay.server.pairs.PairMessage;
import io.agentrelay.server.pairs.PairService;
import io.agentrelay.server.store.PairQuery;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/pairs}: invite (201, pending), list (a bare array, newest first), one pair, the
 * members' moves (accept, reject, end) and pair messages. Writes made as an agent carry its
 * session guard (body {@code instanceId}/{@code epoch} or the X-Agent-* headers), as sends do.
 */
final class PairRoutes implements Routes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final PairService pairs;

    PairRoutes(PairService pairs) {
        this.pairs = pairs;
    }

    @Override
    public void register(Api api) {
        api.post("/api/pairs", this::create)
                .get("/api/pairs", this::list)
                .get("/api/pairs/:id", this::get)
                .post("/api/pairs/:id/accept", request -> act(request, PairAction.ACCEPT))
                .post("/api/pairs/:id/reject", request -> act(request, PairAction.REJECT))
                .post("/api/pairs/:id/end", request -> act(request, PairAction.END))
                .post("/api/pairs/:id/messages", this::send);
    }

    private CompletionStage<Reply> create(Request request) {
        JsonBody body = request.json();
        CreatePair command = new CreatePair(body.string("from"), body.string("to"), body.string("topic"),
                body.string("body"), body.smallInteger("ttlSeconds"), body.object("meta"), Guards.of(request));
        return pairs.create(command).thenApply(Reply::created);
    }

    private CompletionStage<Reply> list(Request request) {
        String agentId = request.query("agentId");
        PairQuery query = new PairQuery(
                agentId == null || agentId.isEmpty() ? null : Require.agentId("agentId", agentId),
                Params.choice("status", request.query("status"), PairStatus.class),
                (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT));
        return pairs.list(query).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> get(Request request) {
        return pairs.get(id(request)).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> act(Request request, PairAction action) {
        long id = id(request);
        JsonBody body = request.json();
        ActOnPair command = new ActOnPair(body.string("agentId"), body.string("reason"), Guards.of(request));
        return pairs.act(id, action, command).thenApply(Reply::ok);
    }

    private CompletionStage<Reply> send(Request request) {
        long id = id(request);
        JsonBody body = request.json();
        PairMessage command = new PairMessage(body.string("from"), body.string("body"), body.string("subject"),
                body.integer("replyTo"), body.object("meta"), Guards.of(request));
        return pairs.send(id, command).thenApply(sent -> Reply.created(new SentReply(sent)));
    }

    private static long id(Request request) {
        return Params.id("id", request.path("id"), "pair");
    }
}
