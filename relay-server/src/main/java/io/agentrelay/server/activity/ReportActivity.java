package io.agentrelay.server.activity;

import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * {@code POST /api/activity}: something that belongs in the activity feed (a tool run, a deploy, a
 * build that finished). {@code clientId} is chosen by the client; sending the same one again is
 * answered with the first report and records nothing new.
 *
 * <p>Two shapes are accepted, and either is readable in both afterwards: the TypeScript server's
 * {@code {clientId, kind, title, body, meta, icon, view, messageId, agentId, metadata}} and this
 * relay's earlier {@code {clientId, type, summary, data, agentId}}. One of {@code title} and
 * {@code type} is required; each fills the other's missing fields ({@link #normalized()}).
 */
public record ReportActivity(String clientId, String agentId, String kind, String title, String body, Object meta,
                             String icon, String view, Long messageId, Map<String, Object> metadata,
                             String type, String summary, Map<String, Object> data) {
    public static final int MAX_CLIENT_ID = 200;
    public static final int MAX_TYPE = 120;
    public static final int MAX_SUMMARY = 2_000;
    public static final int MAX_TITLE = 500;
    public static final int MAX_WORD = 120;

    public ReportActivity {
        Require.text("clientId", clientId, MAX_CLIENT_ID);
        if (agentId != null) {
            Require.agentId("agentId", agentId);
        }
        if (title == null && type == null) {
            throw new RelayError.InvalidInput("title", "is required (or type, the older shape)");
        }
        if (title != null) {
            Require.text("title", title, MAX_TITLE);
        }
        if (type != null) {
            Require.text("type", type, MAX_TYPE);
        }
        Require.optionalText("kind", kind, MAX_WORD);
        Require.optionalText("body", body, MAX_SUMMARY);
        Require.optionalText("summary", summary, MAX_SUMMARY);
        Require.optionalText("icon", icon, MAX_WORD);
        Require.optionalText("view", view, MAX_WORD);
        if (meta instanceof String text) {
            Require.optionalText("meta", text, MAX_SUMMARY);
        }
        if (messageId != null && messageId <= 0) {
            throw new RelayError.InvalidInput("messageId", "must be a positive message id");
        }
    }

    /** The stored form: every field of both shapes, each filled from its counterpart when absent. */
    public ReportActivity normalized() {
        return new ReportActivity(clientId, agentId, kind != null ? kind : "state", title != null ? title : type,
                body != null ? body : summary, meta, icon, view != null ? view : "activity", messageId,
                metadata != null ? metadata : data != null ? data : Map.of(),
                type != null ? type : "activity." + (kind != null ? kind : "state"),
                summary != null ? summary : body, data != null ? data : metadata != null ? metadata : Map.of());
    }
}
