package io.agentrelay.server.http;

import io.agentrelay.server.activity.ActivityService;
import io.agentrelay.server.activity.ReportActivity;
import io.agentrelay.server.errors.RelayError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code /api/activity}: the event log newest first, and client-reported items. */
final class ActivityRoutes implements Routes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final ActivityService activity;

    ActivityRoutes(ActivityService activity) {
        this.activity = activity;
    }

    @Override
    public void register(Api api) {
        api.get("/api/activity", this::page)
                .post("/api/activity", this::report);
    }

    private CompletionStage<Reply> page(Request request) {
        long before = Params.integer("before", request.query("before"), 0, 0, Long.MAX_VALUE);
        int limit = (int) Params.integer("limit", request.query("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT);
        return activity.page(before, limit).thenApply(events -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("activity", events);
            // The next page's "before": the oldest id returned; null once the log is exhausted.
            body.put("nextBefore", events.size() < limit ? null : events.get(events.size() - 1).get("id"));
            return Reply.ok(body);
        });
    }

    /** {@code meta}: a line of text under the title in the TypeScript dashboard, or an object. */
    private static Object meta(JsonBody body) {
        if (!body.has("meta") || body.presentAsNull("meta")) {
            return null;
        }
        try {
            return body.string("meta");
        } catch (RelayError.InvalidInput notText) {
            try {
                return body.object("meta");
            } catch (RelayError.InvalidInput notObject) {
                throw new RelayError.InvalidInput("meta", "must be a string or an object");
            }
        }
    }

    private CompletionStage<Reply> report(Request request) {
        JsonBody body = request.json();
        ReportActivity command = new ReportActivity(body.string("clientId"), body.string("agentId"),
                body.string("kind"), body.string("title"), body.string("body"), meta(body), body.string("icon"),
                body.string("view"), body.integer("messageId"), body.object("metadata"),
                body.string("type"), body.string("summary"), body.object("data"));
        return activity.report(command).thenApply(reported -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("activity", reported.activity());
            reply.put("created", reported.created());
            return new Reply(reported.created() ? 201 : 200, reply);
        });
    }
}
