package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.CallbackReceiver;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real Chromium against a real relay (with a token): sign-in both ways, live
 * updates without reload, and round trips from the page's forms to the API. Every test ends with
 * an empty browser console.
 */
@Tag("browser")
class DashboardTest {
    @TempDir
    static Path dir;
    static Browser browser;
    static TestRelay relay;
    static Http api;
    static CallbackReceiver callbacks;

    @BeforeAll
    static void start() {
        browser = Browser.shared();
        callbacks = CallbackReceiver.start();
        relay = Relays.start(dir, callbacks.url());
        api = Relays.api(relay);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (callbacks != null) {
            callbacks.close();
        }
    }

    @AfterEach
    void consoleStaysClean() {
        assertThat(browser.consoleProblems()).as("browser console warnings and errors").isEmpty();
    }

    /** Opens the page with the token in the fragment and waits until its stream is live. */
    private void signIn(String view) {
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        awaitLive();
        browser.open(relay.url() + "/#/" + view);
        awaitLive();
    }

    private void awaitLive() {
        browser.findWithText("#connection", "live");
    }

    @Test
    void tokenInTheFragmentIsKeptAndRemovedFromTheAddressBarAtOnce() {
        browser.open(relay.url() + "/");
        browser.script("localStorage.clear()");
        browser.driver().navigate().refresh();
        browser.findWithText("#signin-reason", "needs its token");
        browser.consoleProblems(); // the 401 that opened the sign-in dialog
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        awaitLive();
        assertThat(browser.driver().findElement(By.id("signin")).isDisplayed()).isFalse();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(Relays.TOKEN).endsWith("#/overview");
        assertThat(browser.script("return localStorage.getItem('agent-relay.token')")).isEqualTo(Relays.TOKEN);
        // Signing out forgets it and asks again.
        browser.find("#signout").click();
        browser.findWithText("#signin-reason", "needs its token");
        assertThat(browser.script("return localStorage.getItem('agent-relay.token')")).isNull();
        browser.consoleProblems(); // the 401s a signed-out page meets are expected here
    }

    @Test
    void withoutATokenThePageAsksForOneAndSaysWhenTheRelayRefusesIt() {
        browser.open(relay.url() + "/");
        browser.script("localStorage.clear()");
        browser.driver().navigate().refresh();
        browser.findWithText("#signin-reason", "needs its token");
        browser.find("#signin-token").sendKeys("not-the-token");
        browser.find("#signin-form button[type=submit]").click();
        browser.findWithText("#signin-reason", "The relay refused this token");
        browser.find("#signin-token").sendKeys(Relays.TOKEN);
        browser.find("#signin-form button[type=submit]").click();
        awaitLive();
        assertThat(browser.driver().findElement(By.id("signin")).isDisplayed()).isFalse();
        List<String> problems = browser.consoleProblems();
        assertThat(problems).allMatch(line -> line.contains("401"), "only the relay's 401 answers");
    }

    @Test
    void anAgentRegisteredThroughTheApiAppearsWithoutAReload() {
        signIn("agents");
        browser.script("window.notReloaded = true");
        Relays.register(api, "live-agent-1", Map.of("tags", List.of("backend"), "label", "builder"));
        WebElement row = browser.find("[data-agent='live-agent-1']");
        assertThat(row.getText()).contains("live-agent-1", "label:builder", "#backend");
        assertThat(browser.script("return window.notReloaded === true")).isEqualTo(true);
        // and its status changes live too
        Relays.ok(api.patch("/api/agents/live-agent-1", Map.of("status", "busy")));
        browser.findWithText("[data-agent='live-agent-1'] .badge", "busy");
    }

    @Test
    void aMessageSentFromThePageArrivesInTheRecipientsInbox() {
        Relays.register(api, "bob-inbox", Map.of());
        signIn("messages");
        WebElement from = browser.find("form.send input[name=from]");
        from.clear();
        from.sendKeys("dashboard-user");
        browser.find("form.send input[name=to]").sendKeys("bob-inbox");
        browser.find("form.send input[name=subject]").sendKeys("from the page");
        browser.find("form.send textarea[name=body]").sendKeys("hello bob, sent from the dashboard");
        browser.find("form.send button[type=submit]").click();
        browser.findWithText("form.send .status", "sent #");

        JsonNode inbox = Relays.ok(api.get("/api/messages?for=bob-inbox")).json().get("messages");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).get("body").asText()).isEqualTo("hello bob, sent from the dashboard");
        assertThat(inbox.get(0).get("from").asText()).isEqualTo("dashboard-user");
        // the live feed shows it, through the stream
        long id = inbox.get(0).get("id").asLong();
        browser.findWithText("[data-message='" + id + "']", "hello bob");
    }

    @Test
    void aLabelEditedOnThePageIsTheAgentsLabelInTheApi() {
        Relays.register(api, "relabel-me", Map.of("tags", List.of("one")));
        signIn("agents/relabel-me");
        WebElement label = browser.find("form.edit input[name=label]");
        label.clear();
        label.sendKeys("reviewer");
        WebElement tags = browser.find("form.edit input[name=tags]");
        tags.clear();
        tags.sendKeys("one two");
        browser.find("form.edit button[type=submit]").click();
        browser.findWithText(".detail .status", "saved");

        JsonNode agent = Relays.ok(api.get("/api/agents/relabel-me")).json();
        assertThat(agent.get("label").asText()).isEqualTo("reviewer");
        assertThat(agent.get("tags").toString()).isEqualTo("[\"one\",\"two\"]");
        browser.findWithText("[data-agent='relabel-me']", "label:reviewer");
    }

    @Test
    void aTaskClaimedOnThePageIsClaimedInTheApiAndItsCallbackShows() {
        Relays.register(api, "sre-bot", Map.of("tags", List.of("oncall")));
        long task = Relays.raiseTask(relay, "Disk almost full on db-2");
        signIn("tasks/" + task);
        WebElement as = browser.find(".detail input[name=as]");
        as.clear();
        as.sendKeys("sre-bot");
        browser.findWithText(".detail button", "Claim").click();
        browser.findWithText(".detail .status", "claimed");

        JsonNode claimed = Relays.ok(api.get("/api/tasks/" + task)).json();
        assertThat(claimed.get("status").asText()).isEqualTo("claimed");
        assertThat(claimed.get("claimedBy").asText()).isEqualTo("sre-bot");
        browser.findWithText("[data-task='" + task + "'] .badge", "claimed");
        // and a status change from the page
        browser.find(".detail select[name=status]").sendKeys("in_progress");
        browser.find(".detail form.edit button[type=submit]").click();
        browser.findWithText("[data-task='" + task + "'] .badge", "in_progress");
        assertThat(Relays.ok(api.get("/api/tasks/" + task)).json().get("status").asText()).isEqualTo("in_progress");
    }

    @Test
    void afterADropThePageReconnectsAndResumesFromItsLastEventWithNothingMissed() {
        signIn("messages");
        browser.script("""
                window.states = [];
                new MutationObserver(() => states.push(document.getElementById('connection').textContent))
                  .observe(document.getElementById('connection'), { childList: true, characterData: true, subtree: true });""");
        int port = java.net.URI.create(relay.url()).getPort();
        // The relay goes away; while the page is reconnecting, another relay process on the same
        // database (on another port, where the page is not connected) records a message; then the
        // relay comes back on the page's port. The page can only learn of that message by resuming
        // from its last event id: it was never live anywhere while the message was sent.
        relay = Relays.restart(relay, callbacks.url(), 0);
        browser.await(d -> ((List<?>) browser.script("return states")).contains("reconnecting"));
        Http elsewhere = Relays.api(relay);
        long missed = Relays.ok(elsewhere.post("/api/messages", Map.of("from", "carol", "to", "dave",
                "body", "sent while the page was away"))).json().get("id").asLong();
        relay = Relays.restart(relay, callbacks.url(), port);
        api = Relays.api(relay);

        browser.findWithText("[data-message='" + missed + "']", "sent while the page was away");
        awaitLive();
        long total = Relays.ok(api.get("/api/messages?limit=500")).json().get("messages").size();
        assertThat(browser.script("return window.agentRelay.model.messages.length")).isEqualTo(total);
        assertThat(browser.script("return window.agentRelay.live.lastEventId"))
                .isEqualTo(Relays.ok(api.get("/api/stats")).json().get("lastEventId").asLong());
        browser.consoleProblems(); // the refused connections while the relay was down are expected
    }

    @Test
    void theKeyboardSwitchesViewsAndOpensAnAgentFromTheList() {
        Relays.register(api, "keyboard-agent", Map.of("machine", "typed-host"));
        signIn("overview");
        browser.find("body").sendKeys("2");
        browser.await(d -> d.getCurrentUrl().endsWith("#/agents"));
        browser.find("input[type=search]").sendKeys("keyboard-agent");
        browser.findWithText(".toolbar .muted", "1 of");
        browser.find(".vlist").click();
        browser.find(".vlist").sendKeys(org.openqa.selenium.Keys.ARROW_DOWN, org.openqa.selenium.Keys.ENTER);
        browser.findWithText(".detail", "typed-host");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/agents/keyboard-agent");
    }

    @Test
    void restartFromThePageSendsTheAgentAControlMessageAndDeleteRemovesIt() {
        Relays.register(api, "to-restart", Map.of());
        signIn("agents/to-restart");
        browser.findWithText(".detail button", "Restart").click();
        browser.findWithText(".detail .status", "restart sent");
        JsonNode inbox = Relays.ok(api.get("/api/messages?for=to-restart")).json().get("messages");
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).get("kind").asText()).isEqualTo("control");
        assertThat(inbox.get(0).get("payload").toString()).contains("restart");

        browser.findWithText(".detail button", "Delete").click();
        browser.findWithText(".detail button", "Really delete?").click();
        browser.await(d -> d.findElements(By.cssSelector("[data-agent='to-restart']")).isEmpty());
        assertThat(api.get("/api/agents/to-restart").status()).isEqualTo(404);
    }

    @Test
    void aQueuedPolicyMessageShowsAsQueuedAndThenAsDeliveredToThePolicysAgentLive() {
        signIn("messages");
        long id = Relays.ok(api.post("/api/messages", Map.of("from", "boss", "to", "policy:nightly",
                "body", "waiting for the night shift"))).json().get("id").asLong();
        browser.findWithText("[data-message='" + id + "']", "queued");

        Relays.register(api, "night-1", Map.of("meta", Map.of("policyName", "nightly")));

        browser.findWithText("[data-message='" + id + "']", "policy:nightly (night-1)");
        browser.await(d -> !browser.find("[data-message='" + id + "']").getText().contains("queued"));
    }

    @Test
    void aClaimableMessageIsClaimedAndReleasedFromThePage() {
        Relays.register(api, "claimer", Map.of("tags", List.of("claimers")));
        long id = Relays.ok(api.post("/api/messages", Map.of("from", "boss", "to", "tag:claimers", "claimable", true,
                "body", "one taker please"))).json().get("id").asLong();
        signIn("messages/" + id);
        WebElement as = browser.find(".detail input[name=as]");
        as.clear();
        as.sendKeys("claimer");
        browser.findWithText(".detail button", "Claim").click();
        browser.findWithText("[data-message='" + id + "']", "claimed by claimer");
        assertThat(Relays.ok(api.get("/api/messages/" + id)).json().get("claimedBy").asText()).isEqualTo("claimer");

        browser.findWithText(".detail button", "Release").click();
        browser.findWithText("[data-message='" + id + "']", "claimable");
        assertThat(Relays.ok(api.get("/api/messages/" + id)).json().get("claimedBy").isNull()).isTrue();
    }

    @Test
    void theUnreadFilterShowsWhatThatAgentHasNotReadAndFollowsItsReads() {
        Relays.register(api, "reader", Map.of());
        long read = Relays.ok(api.post("/api/messages", Map.of("from", "x", "to", "reader", "body", "already read"))).json()
                .get("id").asLong();
        long unread = Relays.ok(api.post("/api/messages", Map.of("from", "x", "to", "reader", "body", "not read yet"))).json()
                .get("id").asLong();
        Relays.ok(api.post("/api/messages/" + read + "/read", Map.of("agentId", "reader")));
        signIn("messages");
        browser.find("input[name=agent]").sendKeys("reader");
        browser.find("input[name=unread]").click();
        browser.findWithText(".toolbar .muted", "1 shown");
        assertThat(browser.driver().findElements(By.cssSelector("[data-message='" + unread + "']"))).hasSize(1);
        assertThat(browser.driver().findElements(By.cssSelector("[data-message='" + read + "']"))).isEmpty();

        Relays.ok(api.post("/api/messages/" + unread + "/read", Map.of("agentId", "reader")));
        browser.findWithText(".empty", "No message matches these filters.");
    }
}
