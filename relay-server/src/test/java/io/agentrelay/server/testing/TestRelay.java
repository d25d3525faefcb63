package io.agentrelay.server.testing;

import io.agentrelay.server.RelayServer;
import io.agentrelay.server.config.RelayConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real relay for one test: its own store ({@link TestStore}: a SQLite file in {@code dir}, or a
 * fresh PostgreSQL database), an ephemeral loopback port, and a {@link TestClock}. Settings are
 * environment-variable names, as a user would set them.
 */
public final class TestRelay implements AutoCloseable {
    private final TestClock clock;
    private final RelayServer server;
    private final Http http;
    private final TestStore database;

    private TestRelay(TestStore database, TestClock clock, Map<String, String> env) {
        this.clock = clock;
        this.database = database;
        Map<String, String> settings = new HashMap<>();
        settings.put("PORT", "0");
        settings.put("HOST", "127.0.0.1");
        settings.putAll(database.settings());
        // The timer would race the tests' own clock moves; tests reap explicitly via the API.
        settings.put("AGENT_RELAY_REAP_INTERVAL_MS", "3600000");
        settings.putAll(env);
        this.server = RelayServer.start(RelayConfig.from(settings, Map.of()), clock);
        this.http = new Http(server.url());
    }

    public static TestRelay start(Path dir) {
        return new TestRelay(TestStore.fresh(dir), new TestClock(), Map.of());
    }

    public static TestRelay start(Path dir, Map<String, String> env) {
        return new TestRelay(TestStore.fresh(dir), new TestClock(), env);
    }

    /** A new relay on the same database file (a restart). */
    public static TestRelay restart(TestStore database, TestClock clock, Map<String, String> env) {
        return new TestRelay(database, clock, env);
    }

    public Http http() {
        return http;
    }

    public TestClock clock() {
        return clock;
    }

    public String url() {
        return server.url();
    }

    public TestStore database() {
        return database;
    }

    public RelayServer server() {
        return server;
    }

    /** Registers an agent with optional tags, capabilities and label; fails the test unless 2xx. */
    public Http.Response register(String id, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("id", id);
        body.putIfAbsent("name", id);
        Http.Response response = http.post("/api/agents", body);
        if (response.status() / 100 != 2) {
            throw new AssertionError("register " + id + " answered " + response.status() + ": " + response.text());
        }
        return response;
    }

    public Http.Response register(String id) {
        return register(id, Map.of());
    }

    /**
     * Registers an orchestrator {@code id} on host {@code <id>.example} with base folder
     * {@code baseDir} and the {@code extra} fields; fails the test unless 201. Its inbox agent is
     * {@code orchestrator-<id>} unless {@code extra} names another.
     */
    public com.fasterxml.jackson.databind.JsonNode registerOrchestrator(String id, String baseDir, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("id", id);
        body.putIfAbsent("hostname", id + ".example");
        body.put("baseDir", baseDir);
        Http.Response response = http.post("/api/orchestrators", body);
        if (response.status() != 201) {
            throw new AssertionError("register orchestrator " + id + " answered " + response.status() + ": "
                    + response.text());
        }
        return response.json();
    }

    /** Sends a message; fails the test unless 2xx. */
    public Http.Response send(String from, String to, String body, Map<String, Object> extra) {
        Map<String, Object> message = new HashMap<>(extra);
        message.put("from", from);
        message.put("to", to);
        message.put("body", body);
        Http.Response response = http.post("/api/messages", message);
        if (response.status() / 100 != 2) {
            throw new AssertionError("send answered " + response.status() + ": " + response.text());
        }
        return response;
    }

    public Http.Response send(String from, String to, String body) {
        return send(from, to, body, Map.of());
    }

    /** Every logged event of one type, oldest first (up to 1,000). */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> events(String type) {
        Http.Response response = http.get("/api/events?limit=1000&types=" + type);
        if (response.status() != 200) {
            throw new AssertionError("GET /api/events answered " + response.status() + ": " + response.text());
        }
        return JsonLists.nodes(response.json().get("events"));
    }

    /**
     * Raises a task as an integration would: {@code event} posted to {@code /api/integrations/events}
     * with the integration's token. Fails the test unless 201; returns the new task's id.
     */
    public long raiseTask(String integrationToken, Map<String, Object> event) {
        Http.Response response = http.with("Authorization", "Bearer " + integrationToken)
                .post("/api/integrations/events", event);
        if (response.status() != 201) {
            throw new AssertionError("integration event answered " + response.status() + ": " + response.text());
        }
        return response.json().get("task").get("id").asLong();
    }

    /** Runs the reaper now; fails the test unless 200. */
    public com.fasterxml.jackson.databind.JsonNode reap() {
        Http.Response response = http.post("/api/system/reap", Map.of());
        if (response.status() != 200) {
            throw new AssertionError("reap answered " + response.status() + ": " + response.text());
        }
        return response.json();
    }

    @Override
    public void close() {
        server.close();
    }
}
