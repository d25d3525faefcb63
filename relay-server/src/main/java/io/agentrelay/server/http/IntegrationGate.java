package io.agentrelay.server.http;

import io.agentrelay.server.config.Integration;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.tasks.TaskService;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Authenticates the integration routes: the caller must present an integration's token (as
 * {@code Authorization: Bearer} or {@code X-Agent-Relay-Token}); {@code AGENT_RELAY_TOKEN} is not
 * accepted here, and integration tokens are accepted nowhere else. Every configured token is
 * compared, in constant time, whatever matched earlier, so timing does not tell which integration a
 * token belongs to. An authenticated request is then counted against its integration's rate limit.
 */
final class IntegrationGate {
    /** The routing-context key of the authenticated {@link Integration}. */
    static final String KEY = "agentRelay.integration";
    static final String EVENTS_PATH = "/api/integrations/events";

    private record Entry(TokenCheck check, Integration integration) {
    }

    private final List<Entry> entries;
    private final TaskService tasks;

    IntegrationGate(TaskService tasks) {
        this.tasks = tasks;
        this.entries = tasks.integrations().all().stream()
                .map(integration -> new Entry(TokenCheck.ofDigest(integration.tokenDigest()), integration))
                .toList();
    }

    void handle(RoutingContext context) {
        String presented = TokenCheck.fromHeaders(context.request().getHeader("Authorization"),
                context.request().getHeader("X-Agent-Relay-Token"));
        Integration match = null;
        for (Entry entry : entries) {
            if (entry.check().matches(presented) && match == null) {
                match = entry.integration();
            }
        }
        if (match == null) {
            context.fail(new RelayError.Unauthorized(presented == null
                    ? "missing token: send an integration token as Authorization: Bearer <token> or X-Agent-Relay-Token"
                    : "invalid integration token"));
            return;
        }
        try {
            tasks.admit(match);
        } catch (RelayError limited) {
            context.fail(limited);
            return;
        }
        context.put(KEY, match);
        context.next();
    }

    /** Whether the request was authenticated here (the relay-wide token check then stands aside). */
    static boolean authenticated(RoutingContext context) {
        return context.get(KEY) != null;
    }

    static Integration of(Request request) {
        Integration integration = request.context().get(KEY);
        if (integration == null) {
            throw new IllegalStateException("integration route reached without the integration gate");
        }
        return integration;
    }
}
