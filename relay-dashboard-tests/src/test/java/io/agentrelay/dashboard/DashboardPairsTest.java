package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The pairs view in a real Chromium against a real relay: an invitation shows as an open pending
 * pair, accepting and ending it over HTTP move it live (open, then recent), and the selected
 * pair's card shows its thread, new pair messages included. The view opens with the key 'p'.
 * Every test ends with an empty browser console.
 */
@Tag("browser")
class DashboardPairsTest extends ViewTest {
    @BeforeAll
    static void start() {
        startRelay(Map.of());
        for (String agent : new String[] {"alice", "bob", "carol"}) {
            Relays.register(api, agent, Map.of());
        }
    }

    @Test
    void aPairMovesLiveFromInvitedToActiveToEndedWithItsThread() {
        open("pairs");
        browser.findWithText("[aria-label='recent pairs']", "No closed pairs yet");

        long id = Relays.ok(api.post("/api/pairs", Map.of("from", "alice", "to", "bob", "topic", "flaky login test")))
                .json().get("id").asLong();
        String row = "[aria-label='open pairs'] [data-pair='" + id + "']";
        browser.findWithText(row, "alice → bob");
        browser.findWithText(row + " .badge", "pending");
        browser.findWithText(row, "flaky login test");

        browser.find(row).click();
        browser.findWithText(".detail h2", "Pair #" + id);
        browser.findWithText(".detail .thread", "Pair invitation: flaky login test");

        Relays.ok(api.post("/api/pairs/" + id + "/accept", Map.of("agentId", "bob")));
        browser.findWithText(row + " .badge", "active");
        Relays.ok(api.post("/api/pairs/" + id + "/messages", Map.of("from", "alice", "body", "I take the backend")));
        browser.findWithText(".detail .thread", "I take the backend");

        Relays.ok(api.post("/api/pairs/" + id + "/end", Map.of("agentId", "bob", "reason", "shipped")));
        String closed = "[aria-label='recent pairs'] [data-pair='" + id + "']";
        browser.findWithText(closed + " .badge", "ended");
        browser.findWithText(closed, "shipped");
        browser.await(d -> d.findElements(By.cssSelector(row)).isEmpty());
        browser.findWithText(".detail", "closed by");
    }

    @Test
    void theKeyPOpensThePairsView() {
        Relays.ok(api.post("/api/pairs", Map.of("from", "carol", "to", "alice")));
        open("overview");

        browser.find("body").sendKeys("p");

        browser.await(d -> d.getCurrentUrl().endsWith("#/pairs"));
        browser.findWithText("[aria-label='open pairs']", "carol → alice");
        browser.find("body").sendKeys(Keys.ESCAPE);
    }
}
