package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.CallbackReceiver;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.WsClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every view against a relay with some life in it: agents in every presence state, a thread, a
 * claim, tasks with a failed and a delivered callback, config keys with history, an SSE and a
 * WebSocket client. Checks what each view shows and saves its screenshot ({@code -Ddashboard.screenshots=<folder>}; the ones in
 * docs/images come from here).
 */
@Tag("browser")
class DashboardViewsTest {
    @TempDir
    static Path dir;
    static Browser browser;
    static TestRelay relay;
    static Http api;
    static CallbackReceiver callbacks;
    static SseClient sse;
    static WsClient ws;
    static final Path SHOTS = Path.of(System.getProperty("dashboard.screenshots", "target/screenshots"));

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.shared();
        callbacks = CallbackReceiver.start();
        callbacks.answer(503);
        relay = Relays.start(dir, callbacks.url(), Map.of("AGENT_RELAY_CALLBACK_MAX_ATTEMPTS", "1"));
        api = Relays.api(relay);
        seed();
    }

    static void seed() throws Exception {
        // First, so that the later seeds stay the newest activity on the overview.
        Relays.ok(api.post("/api/orchestrators", Map.of("id", "build-1", "hostname", "build-1.lan", "baseDir", "/srv/work",
                "envKeys", List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY"))));
        Relays.ok(api.patch("/api/orchestrators/build-1/agents", Map.of("agents", List.of(
                Map.of("agentId", "build-1-claude-1", "provider", "claude", "tmuxSession", "relay-claude-1",
                        "cwd", "/srv/work/api", "label", "api fixer", "pid", 41_872),
                Map.of("agentId", "build-1-codex-1", "provider", "codex", "tmuxSession", "relay-codex-1",
                        "cwd", "/srv/work/web", "approvalMode", "read-only")))));
        long spawned = Relays.ok(api.post("/api/orchestrators/build-1/spawn", Map.of("provider", "claude",
                "cwd", "/srv/work/docs", "label", "docs writer"))).json().get("command").get("id").asLong();
        Relays.ok(api.patch("/api/commands/" + spawned, Map.of("agentId", "orchestrator-build-1", "status", "accepted")));
        Relays.ok(api.patch("/api/commands/" + spawned, Map.of("agentId", "orchestrator-build-1", "status", "running",
                "progress", "claude starting in relay-claude-2")));
        Relays.ok(api.post("/api/orchestrators/build-1/actions", Map.of("action", "restart", "agentId", "build-1-codex-1")));
        Relays.register(api, "alice", Map.of("kind", "user", "tags", List.of("backend", "review"), "capabilities", List.of("java"),
                "label", "lead", "machine", "ws-alice"));
        Relays.register(api, "bob", Map.of("tags", List.of("backend"), "capabilities", List.of("java", "sql")));
        Relays.register(api, "carol", Map.of("tags", List.of("frontend")));
        Relays.register(api, "sre-bot", Map.of("kind", "system", "tags", List.of("oncall")));
        Relays.register(api, "dave", Map.of("tags", List.of("docs")));
        Relays.register(api, "erin", Map.of());
        Relays.ok(api.patch("/api/agents/dave", Map.of("status", "stale")));
        Relays.ok(api.patch("/api/agents/erin", Map.of("status", "offline")));
        Relays.ok(api.patch("/api/agents/bob", Map.of("status", "busy")));

        long first = Relays.ok(api.post("/api/messages", Map.of("from", "alice", "to", "bob", "subject", "PR 12",
                "body", "Can you review PR 12 before the release?"))).json().get("id").asLong();
        long answer = Relays.ok(api.post("/api/messages", Map.of("from", "bob", "to", "alice", "replyTo", first,
                "body", "On it, will report back within the hour."))).json().get("id").asLong();
        Relays.ok(api.post("/api/messages", Map.of("from", "alice", "to", "bob", "replyTo", answer, "body", "Thanks!")));
        long claimable = Relays.ok(api.post("/api/messages", Map.of("from", "carol", "to", "tag:backend", "claimable", true,
                "subject", "flaky test", "body", "Who takes the flaky OrderServiceTest?"))).json().get("id").asLong();
        Relays.ok(api.post("/api/messages/" + claimable + "/claim", Map.of("agentId", "bob")));
        Relays.ok(api.post("/api/messages/" + first + "/read", Map.of("agentId", "bob")));
        Relays.ok(api.post("/api/system/broadcast", Map.of("subject", "maintenance", "body", "Relay upgrade at 18:00 UTC")));

        long disk = Relays.raiseTask(relay, "Disk almost full on db-2");
        callbacks.next(java.time.Duration.ofSeconds(10));
        Relays.raiseTask(relay, "Certificate expires in 7 days");
        Relays.ok(api.post("/api/tasks/" + disk + "/claim", Map.of("agentId", "sre-bot")));
        Relays.ok(api.patch("/api/tasks/" + disk + "/status", Map.of("agentId", "sre-bot", "status", "in_progress",
                "progress", "rotating logs")));

        Relays.ok(api.put("/api/config/reviews/reviewer", Map.of("value", Map.of("provider", "claude", "replicas", 1),
                "updatedBy", "alice")));
        Relays.ok(api.put("/api/config/reviews/reviewer", Map.of("value", Map.of("provider", "claude", "replicas", 2),
                "updatedBy", "bob")));
        Relays.ok(api.put("/api/config/reviews/nightly", Map.of("value", Map.of("provider", "codex", "cron", "0 3 * * *"))));
        Relays.ok(api.put("/api/config/flags/beta", Map.of("value", true, "updatedBy", "alice")));

        sse = SseClient.open(relay.url(), "/api/events/stream?agentId=bob", Map.of("Authorization", "Bearer " + Relays.TOKEN));
        ws = WsClient.connect(relay.url(), "", Map.of("Authorization", "Bearer " + Relays.TOKEN));
        ws.hello(null, Map.of("types", List.of("message.new")));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {ws, sse, browser, relay, callbacks}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    @Test
    void everyViewShowsTheRelaysStateAndIsScreenshotted() {
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        browser.findWithText("#connection", "live");
        browser.script("document.documentElement.dataset.theme = 'light'");

        browser.findWithText(".cards", "online");
        assertThat(browser.find("[data-count=online]").getText()).as("the orchestrator's inbox agent too").isEqualTo("5");
        assertThat(browser.find("[data-count='orchestrators online']").getText()).isEqualTo("1");
        assertThat(browser.find("[data-count=stale]").getText()).isEqualTo("1");
        assertThat(browser.find("[data-count=offline]").getText()).isEqualTo("1");
        assertThat(browser.find("[data-count=messages]").getText()).isEqualTo("7");
        browser.findWithText(".feed", "task.updated");
        browser.findWithText("[data-count='open streams']", "3");
        browser.screenshot(SHOTS, "dashboard-overview");

        browser.open(relay.url() + "/#/agents/alice");
        browser.findWithText(".detail", "ws-alice");
        browser.findWithText("[data-agent=dave] .badge", "stale");
        browser.screenshot(SHOTS, "dashboard-agents");

        browser.open(relay.url() + "/#/messages/1");
        browser.findWithText(".detail .thread", "Thanks!");
        browser.findWithText(".detail .recipients", "bob");
        browser.findWithText("[data-message='4']", "claimed by bob");
        browser.screenshot(SHOTS, "dashboard-messages");

        browser.open(relay.url() + "/#/tasks/1");
        browser.findWithText(".detail", "rotating logs");
        browser.findWithText(".detail", "HTTP 503");
        browser.screenshot(SHOTS, "dashboard-tasks");

        browser.open(relay.url() + "/#/activity");
        browser.findWithText(".vlist", "message.claimed");
        browser.findWithText("table", "failed");
        browser.screenshot(SHOTS, "dashboard-activity");

        browser.open(relay.url() + "/#/streams");
        browser.findWithText("table", "websocket");
        browser.findWithText("table", "agentId: bob");
        browser.screenshot(SHOTS, "dashboard-streams");

        browser.open(relay.url() + "/#/config/reviews/reviewer");
        browser.findWithText("[data-namespace=reviews]", "reviews 2");
        browser.findWithText("tr[data-key=nightly]", "0 3 * * *");
        browser.findWithText(".detail pre.value", "\"replicas\": 2");
        browser.findWithText(".detail .history [data-version='1']", "by alice");
        browser.screenshot(SHOTS, "dashboard-config");

        browser.open(relay.url() + "/#/orchestrators/build-1");
        browser.findWithText("[data-session=relay-codex-1]", "read-only");
        browser.findWithText("[data-command] .badge", "running");
        browser.findWithText("[data-command]", "build-1-codex-1");
        browser.screenshot(SHOTS, "dashboard-orchestrators");

        Relays.ok(api.put("/api/spawn-policy/api-fixer", Map.of("value", Map.of("orchestratorId", "build-1",
                "provider", "codex", "cwd", "/srv/work/api", "label", "api fixer", "pool", "fixers"))));
        browser.open(relay.url() + "/#/policies/api-fixer");
        browser.findWithText("[data-policy=api-fixer] .badge", "stopped");
        browser.findWithText(".detail h2", "Edit api-fixer");
        browser.screenshot(SHOTS, "dashboard-policies");

        browser.open(relay.url() + "/#/overview");
        browser.find("#theme").click();
        browser.await(d -> "dark".equals(browser.script("return document.documentElement.dataset.theme")));
        browser.findWithText(".cards", "online");
        browser.screenshot(SHOTS, "dashboard-overview-dark");
        browser.find("#theme").click();

        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void aConfigChangeMadeOverHttpAppearsLiveInTheConfigView() {
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        browser.findWithText("#connection", "live");
        browser.open(relay.url() + "/#/config/flags/beta");
        browser.findWithText(".detail pre.value", "true");

        Relays.ok(api.put("/api/config/flags/beta", Map.of("value", Map.of("rollout", 50), "updatedBy", "carol")));
        browser.findWithText(".detail pre.value", "\"rollout\": 50");
        browser.findWithText(".detail .history [data-version='2']", "by carol");
        browser.findWithText("tr[data-key=beta]", "v2");

        Relays.ok(api.put("/api/config/flags/dark-mode", Map.of("value", "on")));
        browser.findWithText("tr[data-key=dark-mode]", "\"on\"");
        browser.findWithText("[data-namespace=flags]", "flags 2");

        Relays.ok(api.delete("/api/config/flags/beta?updatedBy=carol"));
        browser.findWithText(".detail", "deleted at version 3");
        browser.await(d -> d.findElements(org.openqa.selenium.By.cssSelector("tr[data-key=beta]")).isEmpty());
        assertThat(browser.consoleProblems()).isEmpty();
    }
}
