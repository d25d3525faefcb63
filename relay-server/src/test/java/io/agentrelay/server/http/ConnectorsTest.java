package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.TestRelay;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/connectors} with a real connectors folder whose manifests run real {@code /bin/sh}
 * scripts: registration of descriptions only, the union of installed and registered connectors,
 * actions (config on standard input, a cleared environment, exit codes, the deadline that kills
 * the process tree, one action per connector at once), masked config, and the proof that nothing a
 * request sends makes the relay run a program.
 */
class ConnectorsTest {
    private static final String SECRET = "xoxb-very-secret-token";

    @TempDir
    Path dir;
    Path connectors;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() throws IOException {
        connectors = Files.createDirectories(dir.resolve("connectors"));
        install("slack", Map.of("name", "Slack", "description", "Slack bridge", "version", "1.2.0", "channelType", "slack",
                "env", Map.of("SLACK_MODE", "socket"),
                "actions", Map.of(
                        "status", sh("cat > stdin.json; env > env.txt; tr '\\0' ' ' < /proc/$$/cmdline > cmdline.txt; "
                                + "pwd > pwd.txt; echo running"),
                        "start", sh("echo starting; echo broken >&2; exit 3"),
                        "stop", Map.of("argv", List.of("/bin/sh", "-c", "sleep 30 & echo $! > child.pid; wait"),
                                "timeoutSeconds", 1),
                        "doctor", sh("echo started > started.fifo; read line < release.fifo; echo done"))));
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_CONNECTORS_DIR", connectors.toString()));
        http = relay.http();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private static Map<String, Object> sh(String script) {
        return Map.of("argv", List.of("/bin/sh", "-c", script));
    }

    private void install(String id, Object manifest) throws IOException {
        Map<String, Object> withId = new LinkedHashMap<>();
        withId.put("id", id);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) manifest;
        withId.putAll(fields);
        Files.writeString(connectors.resolve(id + ".json"), Http.json(withId));
    }

    private Http.Response act(String id, String action) {
        return http.post("/api/connectors/" + id + "/actions", Map.of("action", action));
    }

    private static void refused(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void theListIsTheUnionOfInstalledAndRegisteredConnectorsAndShowsNoProgramOrEnvironment() {
        Http.Response created = http.post("/api/connectors", Map.of("manifest", Map.of("id", "discord",
                "name", "Discord", "channelType", "discord"), "config", Map.of("botToken", "abc")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("installed").asBoolean()).isFalse();

        Http.Response list = http.get("/api/connectors");
        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> items = JsonLists.nodes(list.json());
        assertThat(items).extracting(c -> c.get("id").asText()).containsExactly("discord", "slack");
        JsonNode slack = items.get(1);
        assertThat(slack.get("name").asText()).isEqualTo("Slack");
        assertThat(slack.get("description").asText()).isEqualTo("Slack bridge");
        assertThat(slack.get("version").asText()).isEqualTo("1.2.0");
        assertThat(slack.get("channelType").asText()).isEqualTo("slack");
        assertThat(slack.get("installed").asBoolean()).isTrue();
        assertThat(JsonLists.strings(slack.get("actions"))).containsExactly("start", "stop", "status", "doctor");
        assertThat(slack.get("lastAction").isNull()).isTrue();
        assertThat(items.get(0).get("actions")).isEmpty();
        assertThat(list.text()).doesNotContain("/bin/sh", "argv", "socket", "SLACK_MODE", "abc");

        JsonNode one = http.get("/api/connectors/slack").json();
        assertThat(one.get("installed").asBoolean()).isTrue();
        refused(http.get("/api/connectors/nope"), 404, "connector not found");
        refused(http.get("/api/connectors/..%2Fetc"), 404, "connector not found");
    }

    @Test
    void registeringStoresADescriptionAppendsAnEventAndIsAnUpsert() {
        Http.Response first = http.post("/api/connectors", Map.of("id", "irc", "name", "IRC", "description", "d",
                "version", "0.1"));
        assertThat(first.status()).as(first.text()).isEqualTo(201);
        JsonNode c = first.json();
        assertThat(c.get("id").asText()).isEqualTo("irc");
        assertThat(c.get("createdAt").asLong()).isEqualTo(relay.clock().millis());
        Http.Response again = http.post("/api/connectors", Map.of("id", "irc", "name", "IRC 2"));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("name").asText()).isEqualTo("IRC 2");
        assertThat(again.json().get("description").isNull()).isTrue();
        assertThat(JsonLists.nodes(http.get("/api/connectors").json())).hasSize(2);

        List<JsonNode> events = relay.events("connector.registered");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("data").get("id").asText()).isEqualTo("irc");
    }

    @Test
    void badRegistrationsAre400NamingTheField() {
        refused(http.post("/api/connectors", "[1]"), 400, "JSON object body required");
        refused(http.post("/api/connectors", Map.of("name", "x")), 400, "id is required");
        refused(http.post("/api/connectors", Map.of("id", ".hidden")), 400,
                "id must be 1-100 characters of A-Z a-z 0-9 _ . - not starting with a dot");
        refused(http.post("/api/connectors", Map.of("id", "a/b")), 400,
                "id must be 1-100 characters of A-Z a-z 0-9 _ . - not starting with a dot");
        refused(http.post("/api/connectors", Map.of("id", "x".repeat(101))), 400,
                "id must be 1-100 characters of A-Z a-z 0-9 _ . - not starting with a dot");
        refused(http.post("/api/connectors", Map.of("id", "ok", "config", List.of())), 400,
                "config must be a JSON object");
        refused(http.post("/api/connectors", Map.of("id", "ok", "state", "x")), 400, "state must be a JSON object");
        assertThat(JsonLists.nodes(http.get("/api/connectors").json())).hasSize(1);
    }

    @Test
    void aPostedManifestThatSaysWhatRunsIsRefusedAndNothingIsStored() {
        String text = "actions can only be installed by an administrator (AGENT_RELAY_CONNECTORS_DIR)";
        for (String field : List.of("actions", "env", "argv", "command")) {
            Http.Response flat = http.post("/api/connectors", Map.of("id", "evil", field, List.of("/bin/touch", "pwned")));
            refused(flat, 400, text);
            assertThat(flat.json().get("field").asText()).isEqualTo(field);
            Http.Response nested = http.post("/api/connectors", Map.of("manifest", Map.of("id", "evil", field,
                    Map.of("start", Map.of("argv", List.of("/bin/touch", "pwned"))))));
            refused(nested, 400, text);
            assertThat(nested.json().get("field").asText()).isEqualTo("manifest." + field);
        }
        refused(http.get("/api/connectors/evil"), 404, "connector not found");
        assertThat(relay.events("connector.registered")).isEmpty();
        assertThat(connectors.resolve("pwned")).doesNotExist();
    }

    @Test
    void anActionOfARegisteredOnlyConnectorIs502NotInstalledAndRunsNothing() {
        // Even a registration whose id matches nothing installed, with a config naming a program.
        http.post("/api/connectors", Map.of("id", "ghost", "config", Map.of("argv", List.of("/bin/touch", "pwned"))));
        Http.Response response = act("ghost", "start");
        assertThat(response.status()).as(response.text()).isEqualTo(502);
        assertThat(response.json().get("ok").asBoolean()).isFalse();
        assertThat(response.json().get("action").asText()).isEqualTo("start");
        assertThat(response.json().get("connectorId").asText()).isEqualTo("ghost");
        assertThat(response.json().get("exitCode").isNull()).isTrue();
        assertThat(response.error()).isEqualTo("connector ghost is not installed on this relay's host");
        assertThat(connectors.resolve("pwned")).doesNotExist();
        assertThat(relay.events("connector.action")).isEmpty();
    }

    @Test
    void anActionRunsTheInstalledArgvWithTheConfigOnStdinAndAClearedEnvironment() throws IOException {
        Http.Response put = http.put("/api/connectors/slack/config", Map.of("botToken", SECRET, "channel", "#ops"));
        assertThat(put.status()).as(put.text()).isEqualTo(200);

        Http.Response response = act("slack", "status");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("ok").asBoolean()).isTrue();
        assertThat(result.get("exitCode").asInt()).isZero();
        assertThat(result.get("output").asText()).isEqualTo("running\n");
        assertThat(result.get("connectorId").asText()).isEqualTo("slack");
        assertThat(result.get("durationMs").asLong()).isNotNegative();
        assertThat(result.has("error")).isFalse();

        JsonNode stdin = io.agentrelay.api.Json.mapper().readTree(connectors.resolve("stdin.json").toFile());
        assertThat(stdin.get("botToken").asText()).isEqualTo(SECRET);
        assertThat(stdin.get("channel").asText()).isEqualTo("#ops");
        assertThat(Files.readString(connectors.resolve("cmdline.txt"))).doesNotContain(SECRET);
        assertThat(Files.readString(connectors.resolve("pwd.txt")).trim())
                .isEqualTo(connectors.toRealPath().toString());
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(connectors.resolve("env.txt"))) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertThat(env).containsEntry("SLACK_MODE", "socket")
                .containsEntry("AGENT_RELAY_CONNECTOR_ID", "slack")
                .containsEntry("AGENT_RELAY_URL", relay.url());
        // The shell adds PWD, SHLVL and _; nothing else of the relay's environment gets through.
        assertThat(env.keySet()).isSubsetOf("PATH", "HOME", "SLACK_MODE", "AGENT_RELAY_CONNECTOR_ID", "AGENT_RELAY_URL",
                "PWD", "OLDPWD", "SHLVL", "_");
        assertThat(String.join("\n", env.values())).doesNotContain(SECRET);

        JsonNode last = http.get("/api/connectors/slack").json().get("lastAction");
        assertThat(last.get("action").asText()).isEqualTo("status");
        assertThat(last.get("ok").asBoolean()).isTrue();
        assertThat(last.get("exitCode").asInt()).isZero();
        List<JsonNode> events = relay.events("connector.action");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("data").get("ok").asBoolean()).isTrue();
        assertThat(events.get(0).toString()).doesNotContain(SECRET);
    }

    @Test
    void aNonZeroExitIs502WithTheMergedOutputAndIsRecorded() {
        Http.Response response = act("slack", "start");

        assertThat(response.status()).as(response.text()).isEqualTo(502);
        JsonNode result = response.json();
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("exitCode").asInt()).isEqualTo(3);
        assertThat(result.get("output").asText()).isEqualTo("starting\nbroken\n");
        assertThat(response.error()).isEqualTo("start exited with code 3");
        JsonNode last = http.get("/api/connectors/slack").json().get("lastAction");
        assertThat(last.get("ok").asBoolean()).isFalse();
        assertThat(last.get("exitCode").asInt()).isEqualTo(3);
        assertThat(relay.events("connector.action").get(0).get("data").get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void anActionPastItsDeadlineIs502AndItsProcessTreeIsKilled() throws IOException {
        Http.Response response = act("slack", "stop");

        assertThat(response.status()).as(response.text()).isEqualTo(502);
        assertThat(response.json().get("ok").asBoolean()).isFalse();
        assertThat(response.json().get("exitCode").isNull()).isTrue();
        assertThat(response.error()).isEqualTo("timed out after 1 s; killed");
        long child = Long.parseLong(Files.readString(connectors.resolve("child.pid")).trim());
        assertThat(awaitGone(child)).as("the script's sleep, pid " + child).isTrue();
        assertThat(http.get("/api/connectors/slack").json().get("lastAction").get("exitCode").isNull()).isTrue();
    }

    /** Whether the process ended within 10 s: gone, or a zombie nobody reaped (it runs no more). */
    private static boolean awaitGone(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            try {
                String text = Files.readString(stat);
                char state = text.charAt(text.lastIndexOf(')') + 2);
                if (state == 'Z' || state == 'X') {
                    return true;
                }
            } catch (IOException gone) {
                return true;
            }
            // SIGKILL was sent before the answer; the kernel finishes the process very soon after.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return false;
    }

    @Test
    void aSecondActionOfOneConnectorWhileTheFirstRunsIs409() throws Exception {
        Path started = connectors.resolve("started.fifo");
        Path release = connectors.resolve("release.fifo");
        mkfifo(started);
        mkfifo(release);
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url() + "/api/connectors/slack/actions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"doctor\"}")).build();
        CompletableFuture<HttpResponse<String>> first = http.client().sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        // Opening the FIFO waits for the script to write to it: the first action is running.
        assertThat(Files.readString(started).trim()).isEqualTo("started");

        refused(act("slack", "status"), 409, "an action of connector slack is already running");

        Files.writeString(release, "go\n");
        HttpResponse<String> done = first.get(30, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(act("slack", "status").status()).as("free again").isEqualTo(200);
    }

    private static void mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void actionRequestsAreCheckedAt400And404() {
        refused(http.post("/api/connectors/slack/actions", Map.of()), 400,
                "action is required (one of install|uninstall|enable|disable|start|stop|restart|status|doctor)");
        refused(act("slack", "launch"), 400,
                "action must be one of install|uninstall|enable|disable|start|stop|restart|status|doctor, got 'launch'");
        refused(act("nope", "start"), 404, "connector not found");
        Http.Response missing = act("slack", "install");
        assertThat(missing.status()).isEqualTo(502);
        assertThat(missing.error()).isEqualTo(
                "connector slack has no install action in its manifest (it has: start, stop, status, doctor)");
    }

    @Test
    void configIsStoredAndReadBackWithSecretLookingValuesMasked() {
        refused(http.get("/api/connectors/nope/config"), 404, "connector not found");
        refused(http.put("/api/connectors/nope/config", Map.of("a", 1)), 404, "connector not found");
        refused(http.put("/api/connectors/slack/config", "[1]"), 400, "connector config must be an object");
        refused(http.put("/api/connectors/slack/config", "\"x\""), 400, "connector config must be an object");
        assertThat(http.get("/api/connectors/slack/config").json()).isEmpty();

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("botToken", SECRET);
        config.put("password", "p");
        config.put("API_KEY", "k");
        config.put("signingSecret", "s");
        config.put("channel", "#ops");
        config.put("keyboard", "qwerty");
        config.put("nested", Map.of("apiKey", "n", "port", 8080));
        Http.Response put = http.put("/api/connectors/slack/config", config);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(put.text()).doesNotContain(SECRET);

        JsonNode read = http.get("/api/connectors/slack/config").json();
        assertThat(read.get("botToken").asText()).isEqualTo("********");
        assertThat(read.get("password").asText()).isEqualTo("********");
        assertThat(read.get("API_KEY").asText()).isEqualTo("********");
        assertThat(read.get("signingSecret").asText()).isEqualTo("********");
        assertThat(read.get("channel").asText()).isEqualTo("#ops");
        assertThat(read.get("keyboard").asText()).isEqualTo("qwerty");
        assertThat(read.get("nested").get("apiKey").asText()).isEqualTo("********");
        assertThat(read.get("nested").get("port").asInt()).isEqualTo(8080);
        List<JsonNode> events = relay.events("connector.config.changed");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).toString()).doesNotContain(SECRET);
    }

    @Test
    void aMaskedConfigWrittenBackKeepsItsSecrets() throws IOException {
        http.put("/api/connectors/slack/config", Map.of("botToken", SECRET, "nested", Map.of("password", "p1"),
                "room", "ops"));
        JsonNode masked = http.get("/api/connectors/slack/config").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) masked).put("room", "dev");
        ((com.fasterxml.jackson.databind.node.ObjectNode) masked).put("apiKey", "********");
        assertThat(http.put("/api/connectors/slack/config", masked).status()).isEqualTo(200);

        assertThat(act("slack", "status").status()).isEqualTo(200);
        JsonNode stdin = io.agentrelay.api.Json.mapper().readTree(connectors.resolve("stdin.json").toFile());
        assertThat(stdin.get("botToken").asText()).as("kept").isEqualTo(SECRET);
        assertThat(stdin.get("nested").get("password").asText()).as("kept").isEqualTo("p1");
        assertThat(stdin.get("room").asText()).isEqualTo("dev");
        assertThat(stdin.get("apiKey").asText()).as("nothing stored there: as written").isEqualTo("********");
    }

    @Test
    void badManifestFilesAreSkippedAndANewOneCountsWithoutARestart() throws IOException {
        Files.writeString(connectors.resolve("broken.json"), "{not json");
        install("mismatch", Map.of("name", "M", "actions", Map.of()));
        Files.move(connectors.resolve("mismatch.json"), connectors.resolve("other.json"));
        install("extra", Map.of("name", "E", "actions", Map.of(), "shell", "bash"));
        install("badaction", Map.of("name", "B", "actions", Map.of("launch", sh("true"))));
        install("longwait", Map.of("name", "L", "actions", Map.of("start", Map.of("argv", List.of("true"),
                "timeoutSeconds", 301))));
        List<String> ids = new ArrayList<>(JsonLists.nodes(http.get("/api/connectors").json()).stream()
                .map(c -> c.get("id").asText()).toList());
        assertThat(ids).containsExactly("slack");

        install("teams", Map.of("name", "Teams", "actions", Map.of("status", sh("echo ok"))));
        assertThat(http.get("/api/connectors").json()).extracting(c -> c.get("id").asText())
                .containsExactly("slack", "teams");
        assertThat(act("teams", "status").status()).isEqualTo(200);
        assertThat(Arrays.asList(connectors.toFile().list())).contains("teams.json");
    }

    @Test
    void withNoConnectorsFolderNothingIsInstalled() throws IOException {
        relay.close();
        relay = TestRelay.start(Files.createDirectories(dir.resolve("other")), Map.of());
        http = relay.http();
        assertThat(http.get("/api/connectors").json()).isEmpty();
        http.post("/api/connectors", Map.of("id", "slack"));
        Http.Response response = act("slack", "status");
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.error()).isEqualTo("connector slack is not installed on this relay's host");
        assertThat(response.json().get("output").asText()).isEmpty();
    }
}
