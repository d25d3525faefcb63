package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The connectors view in a real Chromium against a real relay with a real connectors folder: the
 * list shows installed and registered connectors, an action runs from its button with its output
 * shown (a failed one too), and the config editor shows secrets masked and saves what is typed.
 * The view opens with the key 'o'. Every test ends with an empty browser console, but for the
 * one failed load a failing action is (its 502, which the view shows as the run's result).
 */
@Tag("browser")
class DashboardConnectorsTest extends ViewTest {
    @BeforeAll
    static void start() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("connectors"));
        Files.writeString(folder.resolve("slack.json"), Json.mapper().writeValueAsString(Map.of("id", "slack",
                "name", "Slack", "channelType", "slack", "actions", Map.of(
                        "status", Map.of("argv", List.of("/bin/sh", "-c", "echo connected to ops")),
                        "start", Map.of("argv", List.of("/bin/sh", "-c", "echo token rejected; exit 3"))))));
        startRelay(Map.of("AGENT_RELAY_CONNECTORS_DIR", folder.toString()));
        Relays.ok(api.post("/api/connectors", Map.of("id", "discord", "name", "Discord", "channelType", "discord")));
    }

    @AfterEach
    @Override
    void consoleStaysClean() {
        assertThat(browser.consoleProblems()).as("browser console warnings and errors")
                .filteredOn(line -> !(line.contains("/api/connectors/slack/actions") && line.contains("502")))
                .isEmpty();
    }

    @Test
    void installedAndRegisteredConnectorsAreListedAndAnActionRunsWithItsOutputShown() {
        open("connectors");
        browser.findWithText("[data-connector='discord']", "registered");
        browser.findWithText("[data-connector='slack']", "installed");

        browser.find("[data-connector='discord']").click();
        browser.findWithText(".detail", "registered only; no action can run");
        browser.findWithText(".detail .actions", "Not installed");

        browser.find("[data-connector='slack']").click();
        browser.findWithText(".detail h2", "Slack (slack)");
        browser.find(".detail [data-action='status']").click();
        browser.findWithText(".detail .status.ok", "status: ok");
        browser.findWithText(".detail pre.output", "connected to ops");
        browser.findWithText("[data-connector='slack']", "status ok");

        browser.find(".detail [data-action='start']").click();
        browser.findWithText(".detail .status.error", "start failed: start exited with code 3");
        browser.findWithText(".detail pre.output", "token rejected");
        browser.findWithText("[data-connector='slack']", "start exit 3");
        browser.screenshot(DashboardViewsTest.SHOTS, "dashboard-connectors");
    }

    @Test
    void theConfigEditorShowsSecretsMaskedAndSavesWhatIsTyped() {
        Relays.ok(api.put("/api/connectors/slack/config", Map.of("botToken", "xoxb-secret", "room", "ops")));
        open("connectors/slack");

        WebElement editor = browser.find(".detail textarea[name='config']");
        browser.await(d -> editor.getAttribute("value").contains("********") ? true : null);
        assertThat(editor.getAttribute("value")).contains("\"room\": \"ops\"").doesNotContain("xoxb-secret");

        editor.clear();
        editor.sendKeys("{\"room\": \"dev\", \"apiKey\": \"k-123\"}");
        browser.find(".detail form.config button[type='submit']").click();
        browser.findWithText(".detail form.config .status.ok", "saved");
        assertThat(editor.getAttribute("value")).contains("\"apiKey\": \"********\"");
        assertThat(api.get("/api/connectors/slack/config").json().get("room").asText()).isEqualTo("dev");
    }

    @Test
    void theKeyOOpensTheConnectorsView() {
        open("overview");

        browser.find("body").sendKeys("o");

        browser.await(d -> d.getCurrentUrl().endsWith("#/connectors"));
        browser.findWithText("[data-connector='slack']", "Slack");
        browser.find("body").sendKeys(Keys.ESCAPE);
    }
}
