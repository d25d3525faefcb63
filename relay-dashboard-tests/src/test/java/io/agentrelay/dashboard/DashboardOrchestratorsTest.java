package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The orchestrators view in a real Chromium against a real relay: a spawn from the page's form
 * makes a command that shows, with the status its executor reports arriving live; restart and
 * shutdown buttons make their commands; an orchestrator's status change over HTTP shows without a
 * reload. Every test ends with an empty browser console.
 */
@Tag("browser")
class DashboardOrchestratorsTest extends ViewTest {
    static final Duration STALE_TTL = Duration.ofSeconds(30);
    static final String INBOX = "orchestrator-build-1";

    @BeforeAll
    static void start() {
        startRelay(Map.of("STALE_TTL_MS", Long.toString(STALE_TTL.toMillis())));
        Relays.ok(api.post("/api/orchestrators", Map.of("id", "build-1", "hostname", "build-1.lan", "baseDir", "/srv/work")));
        Relays.ok(api.patch("/api/orchestrators/build-1/agents", Map.of("agents", List.of(Map.of("agentId", "build-1-claude-1",
                "provider", "claude", "tmuxSession", "relay-claude-1", "cwd", "/srv/work/api", "label", "api fixer")))));
    }

    private JsonNode newestCommand() {
        return Relays.ok(api.get("/api/commands?limit=1")).json().get(0);
    }

    @Test
    void aSpawnFromThePageMakesACommandWhoseStatusFollowsTheExecutorLive() {
        open("orchestrators/build-1");
        browser.findWithText("[data-orchestrator=build-1]", "online");
        browser.findWithText("[data-session=relay-claude-1]", "api fixer");

        new Select(browser.find(".detail form.spawn select[name=provider]")).selectByValue("codex");
        browser.find(".detail form.spawn input[name=cwd]").sendKeys("/srv/work/web");
        browser.find(".detail form.spawn input[name=label]").sendKeys("web fixer");
        new Select(browser.find(".detail form.spawn select[name=approvalMode]")).selectByValue("read-only");
        browser.find(".detail form.spawn textarea[name=prompt]").sendKeys("Fix the flaky login test");
        browser.find(".detail form.spawn button[type=submit]").click();

        WebElement result = browser.findWithText(".detail .status.ok", "spawn requested");
        JsonNode command = newestCommand();
        assertThat(result.getText()).isEqualTo("spawn requested: command #" + command.get("id").asLong() + " is pending");
        assertThat(command.get("type").asText()).isEqualTo("agent.spawn");
        assertThat(command.get("target").asText()).isEqualTo(INBOX);
        JsonNode params = command.get("params");
        assertThat(params.get("provider").asText()).isEqualTo("codex");
        assertThat(params.get("cwd").asText()).isEqualTo("/srv/work/web");
        assertThat(params.get("label").asText()).isEqualTo("web fixer");
        assertThat(params.get("approvalMode").asText()).isEqualTo("read-only");
        assertThat(params.get("prompt").asText()).isEqualTo("Fix the flaky login test");
        assertThat(params.get("requestedBy").asText()).isEqualTo("dashboard");
        String row = "[data-command='" + command.get("id").asLong() + "']";
        browser.findWithText(row, "codex in /srv/work/web");
        browser.findWithText(row + " .badge", "pending");

        long id = command.get("id").asLong();
        Relays.ok(api.patch("/api/commands/" + id, Map.of("agentId", INBOX, "status", "accepted")));
        browser.findWithText(row + " .badge", "accepted");
        Relays.ok(api.patch("/api/commands/" + id, Map.of("agentId", INBOX, "status", "running", "progress",
                "codex is starting in relay-codex-2")));
        browser.findWithText(row, "codex is starting in relay-codex-2");
        Relays.ok(api.patch("/api/commands/" + id, Map.of("agentId", INBOX, "status", "succeeded")));
        browser.findWithText(row + " .badge", "succeeded");
        assertThat(browser.find(".detail form.spawn input[name=label]").getAttribute("value"))
                .as("live updates leave the form alone").isEqualTo("web fixer");

        WebElement cwd = browser.find(".detail form.spawn input[name=cwd]");
        cwd.clear();
        cwd.sendKeys("/srv/work/../etc");
        browser.find(".detail form.spawn button[type=submit]").click();
        browser.findWithText(".detail .status.error", "cwd must be within orchestrator base directory: /srv/work");
        assertThat(newestCommand().get("id").asLong()).as("no command for a refused spawn").isEqualTo(id);
        assertThat(browser.consoleProblems()).as("the refused spawn, and nothing else")
                .singleElement().asString().contains("/spawn", "400");
    }

    @Test
    void restartAndShutdownButtonsMakeTheirCommands() {
        open("orchestrators/build-1");
        browser.find("[data-session=relay-claude-1] button").click();
        browser.findWithText(".detail .status.ok", "restart requested");
        JsonNode restart = newestCommand();
        assertThat(restart.get("type").asText()).isEqualTo("agent.restart");
        assertThat(restart.get("params").get("agentId").asText()).isEqualTo("build-1-claude-1");
        browser.findWithText("[data-command='" + restart.get("id").asLong() + "']", "build-1-claude-1");

        browser.findWithText(".detail .actions button", "Shut down all").click();
        browser.findWithText(".detail .status.ok", "shutdown requested");
        JsonNode shutdown = newestCommand();
        assertThat(shutdown.get("type").asText()).isEqualTo("agent.shutdown");
        assertThat(shutdown.get("params").has("agentId")).isFalse();
        browser.findWithText("[data-command='" + shutdown.get("id").asLong() + "']", "all managed agents");
    }

    @Test
    void anOrchestratorsStatusChangeOverHttpShowsLive() {
        Relays.ok(api.post("/api/orchestrators", Map.of("id", "build-2", "hostname", "build-2.lan", "baseDir", "/home/ci",
                "providers", List.of("claude"))));
        open("orchestrators");
        browser.findWithText("[data-orchestrator=build-2]", "online");

        relay.clock().advance(STALE_TTL.plusMillis(1));
        Relays.ok(api.post("/api/orchestrators/build-1/heartbeat", Map.of()));
        Relays.ok(api.post("/api/system/reap", Map.of()));
        browser.findWithText("[data-orchestrator=build-2] .badge", "offline");
        assertThat(browser.find("[data-orchestrator=build-1] .badge").getText()).isEqualTo("online");

        Relays.ok(api.post("/api/orchestrators/build-2/heartbeat", Map.of()));
        browser.findWithText("[data-orchestrator=build-2] .badge", "online");
        Relays.ok(api.post("/api/orchestrators", Map.of("id", "build-3", "hostname", "build-3.lan", "baseDir", "/srv")));
        browser.findWithText("[data-orchestrator=build-3]", "build-3.lan");
        Relays.ok(api.delete("/api/orchestrators/build-3"));
        browser.await(d -> d.findElements(By.cssSelector("[data-orchestrator=build-3]")).isEmpty());
    }
}
