package io.agentrelay.server.activity;

import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * {@code POST /api/activity}: something a client did that belongs in the activity feed (a tool run,
 * a deploy, a review). {@code clientId} is chosen by the client; sending the same one again is
 * answered with the first report and records nothing new.
 */
public record ReportActivity(String clientId, String agentId, String type, String summary,
                             Map<String, Object> data) {
    public static final int MAX_CLIENT_ID = 200;
    public static final int MAX_TYPE = 120;
    public static final int MAX_SUMMARY = 2_000;

    public ReportActivity {
        Require.text("clientId", clientId, MAX_CLIENT_ID);
        if (agentId != null) {
            Require.agentId("agentId", agentId);
        }
        Require.text("type", type, MAX_TYPE);
        Require.optionalText("summary", summary, MAX_SUMMARY);
        data = data == null ? Map.of() : data;
    }
}
