package io.agentrelay.dashboard;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A real relay with a token and one integration, and an API client that carries the token. */
final class Relays {
    static final String TOKEN = "dashboard-test-token";
    static final String INTEGRATION = "pager";
    static final String INTEGRATION_TOKEN = "pager-token";

    private Relays() {
    }

    /** A relay with the token, and integration {@value #INTEGRATION} (targets tag:oncall) calling back {@code callbackUrl}. */
    static TestRelay start(Path dir, String callbackUrl) {
        return start(dir, callbackUrl, Map.of());
    }

    static TestRelay start(Path dir, String callbackUrl, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Integrations.of()
                .add(INTEGRATION, INTEGRATION_TOKEN, List.of("tasks:create"), List.of("tag:oncall"), List.of(), callbackUrl, null)
                .env());
        env.put("AGENT_RELAY_TOKEN", TOKEN);
        env.putAll(more);
        return TestRelay.start(dir, env);
    }

    /** A new relay on {@code old}'s database (closed first), on {@code port} (0: any free port). */
    static TestRelay restart(TestRelay old, String callbackUrl, int port) {
        old.close();
        Map<String, String> env = new HashMap<>(Integrations.of()
                .add(INTEGRATION, INTEGRATION_TOKEN, List.of("tasks:create"), List.of("tag:oncall"), List.of(), callbackUrl, null)
                .env());
        env.put("AGENT_RELAY_TOKEN", TOKEN);
        env.put("PORT", String.valueOf(port));
        return TestRelay.restart(old.database(), old.clock(), env);
    }

    static Http api(TestRelay relay) {
        return relay.http().with("Authorization", "Bearer " + TOKEN);
    }

    static Http.Response ok(Http.Response response) {
        if (response.status() / 100 != 2) {
            throw new AssertionError("relay answered " + response.status() + ": " + response.text());
        }
        return response;
    }

    static void register(Http api, String id, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("id", id);
        body.putIfAbsent("name", id);
        ok(api.post("/api/agents", body));
    }

    static long raiseTask(TestRelay relay, String title) {
        Http.Response response = ok(relay.http().with("Authorization", "Bearer " + INTEGRATION_TOKEN)
                .post("/api/integrations/events", Map.of("target", "tag:oncall", "title", title, "severity", "warning",
                        "body", "disk usage at 91% on db-2")));
        return response.json().get("task").get("id").asLong();
    }
}
