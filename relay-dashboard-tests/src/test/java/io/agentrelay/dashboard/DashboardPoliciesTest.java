package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The policies view in a real Chromium against a real relay: a policy made with the page's form is
 * the config entry the API reads (a bad folder is refused naming the field); Start, the agent's
 * registration, Stop and the executor's report move the state shown, live; Edit fills the form
 * and saving writes the next version. The browser console stays clean but for the refused save.
 */
@Tag("browser")
class DashboardPoliciesTest extends ViewTest {
    static final String INBOX = "orchestrator-build-1";

    @BeforeAll
    static void start() {
        startRelay(Map.of());
        Relays.ok(api.post("/api/orchestrators", Map.of("id", "build-1", "hostname", "build-1.lan", "baseDir", "/srv/work")));
    }

    private static void type(String css, String text) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(text);
    }

    private static void move(long command, String status) {
        Relays.ok(api.patch("/api/commands/" + command, Map.of("agentId", INBOX, "status", status)));
    }

    @Test
    void aPolicyMadeInThePageIsStartedRunsAndStopsLive() {
        open("policies");
        browser.findWithText(".panel", "No spawn policies yet");

        type("form.policy input[name=name]", "api-fixer");
        type("form.policy input[name=orchestratorId]", "build-1");
        new Select(browser.find("form.policy select[name=provider]")).selectByValue("codex");
        type("form.policy input[name=cwd]", "srv/work/api");
        type("form.policy input[name=label]", "api fixer");
        type("form.policy input[name=tags]", "backend api");
        new Select(browser.find("form.policy select[name=permissionMode]")).selectByValue("read-only");
        type("form.policy input[name=pool]", "fixers");
        browser.find("form.policy button[type=submit]").click();
        browser.findWithText(".detail .status.error", "value.cwd must be an absolute POSIX path");
        assertThat(browser.consoleProblems()).as("the refused save, and nothing else")
                .singleElement().asString().contains("/api/spawn-policy/api-fixer", "400");

        type("form.policy input[name=cwd]", "/srv/work/api");
        browser.find("form.policy button[type=submit]").click();
        browser.findWithText(".detail .status.ok", "saved api-fixer at version 1");
        JsonNode value = Relays.ok(api.get("/api/spawn-policy/api-fixer")).json().get("value");
        assertThat(value.get("provider").asText()).isEqualTo("codex");
        assertThat(value.get("cwd").asText()).isEqualTo("/srv/work/api");
        assertThat(value.get("tags")).hasSize(2);
        assertThat(value.get("permissionMode").asText()).isEqualTo("read-only");
        assertThat(value.get("pool").asText()).isEqualTo("fixers");
        String row = "[data-policy=api-fixer]";
        browser.findWithText(row + " .badge", "stopped");

        browser.findWithText(row + " button", "Start").click();
        browser.findWithText(".detail .status.ok", "start requested: command #");
        browser.findWithText(row + " .badge", "starting");
        JsonNode command = Relays.ok(api.get("/api/commands?limit=1")).json().get(0);
        assertThat(command.get("type").asText()).isEqualTo("agent.spawn");
        String requestId = command.get("params").get("spawnRequestId").asText();

        Relays.register(api, "build-1-codex-1", Map.of("meta", Map.of("policyName", "api-fixer", "spawnRequestId", requestId)));
        browser.findWithText(row + " .badge", "running");
        browser.findWithText(row, "build-1-codex-1");

        browser.findWithText(row + " button", "Stop").click();
        browser.findWithText(row + " .badge", "stopping");
        long shutdown = Relays.ok(api.get("/api/commands?limit=1")).json().get(0).get("id").asLong();
        move(shutdown, "accepted");
        move(shutdown, "running");
        move(shutdown, "succeeded");
        browser.findWithText(row + " .badge", "stopped");

        browser.findWithText(row + " button", "Edit").click();
        browser.findWithText(".detail h2", "Edit api-fixer");
        assertThat(browser.find("form.policy input[name=label]").getAttribute("value")).isEqualTo("api fixer");
        type("form.policy input[name=label]", "api fixer 2");
        browser.find("form.policy button[type=submit]").click();
        browser.findWithText(".detail .status.ok", "saved api-fixer at version 2");
        assertThat(Relays.ok(api.get("/api/spawn-policy/api-fixer")).json().get("value").get("label").asText())
                .isEqualTo("api fixer 2");
    }
}
