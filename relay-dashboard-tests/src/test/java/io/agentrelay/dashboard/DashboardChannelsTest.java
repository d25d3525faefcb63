package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The channels view in a real Chromium against a real relay: a channel with its bindings, a
 * binding added from the page's form (with the channel agent's session) and removed again, and a
 * channel event and activity posted over HTTP showing live. Every test ends with an empty console.
 */
@Tag("browser")
class DashboardChannelsTest extends ViewTest {
    static final String CHANNEL = "slack:T1";

    @BeforeAll
    static void start() {
        startRelay(Map.of());
        Relays.register(api, CHANNEL, Map.of("kind", "channel", "tags", List.of("channel:slack"), "instanceId", "bridge-1",
                "ready", true));
        Relays.register(api, "alice", Map.of("tags", List.of("support")));
        Relays.ok(api.post("/api/channel-bindings", Map.of("channelId", CHANNEL, "target", "tag:support",
                "instanceId", "bridge-1")));
    }

    private static Map<String, Object> envelope(String eventType, String text) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("schema", "agent-relay.channel.v1");
        payload.put("channel", Map.of("provider", "slack", "accountId", "T1", "agentId", CHANNEL));
        payload.put("direction", "inbound");
        payload.put("conversation", Map.of("id", "C42", "type", "channel"));
        payload.put("actor", Map.of("id", "U1", "kind", "user"));
        payload.put("event", Map.of("type", eventType));
        if (text != null) {
            payload.put("message", Map.of("text", text));
        } else {
            payload.put("activity", Map.of("state", "typing"));
        }
        return Map.of("payload", payload, "instanceId", "bridge-1");
    }

    @Test
    void theZeroKeyOpensTheChannelsView() {
        open("overview");
        browser.find("body").sendKeys("0");
        browser.findWithText("[data-channel='" + CHANNEL + "']", "slack");
        assertThat(browser.driver().getCurrentUrl()).endsWith("#/channels");
    }

    @Test
    void aBindingIsAddedAndRemovedFromThePage() {
        open("channels/" + CHANNEL);
        browser.findWithText("[data-channel='" + CHANNEL + "']", "slack");
        browser.findWithText(".detail [data-binding]", "tag:support");

        browser.find(".detail form.bind input[name=target]").sendKeys("cap:audit");
        browser.find(".detail form.bind input[name=conversationId]").sendKeys("C42");
        new Select(browser.find(".detail form.bind select[name=mode]")).selectByValue("broadcast");
        browser.find(".detail form.bind input[name=priority]").sendKeys("7");
        browser.find(".detail form.bind button[type=submit]").click();

        browser.findWithText(".detail .status.ok", "bound #");
        JsonNode added = Relays.ok(api.get("/api/channel-bindings?channelId=" + CHANNEL)).json().get(1);
        assertThat(added.get("target").get("type").asText()).isEqualTo("capability");
        assertThat(added.get("conversationId").asText()).isEqualTo("C42");
        assertThat(added.get("mode").asText()).isEqualTo("broadcast");
        assertThat(added.get("priority").asLong()).isEqualTo(7);
        String row = "[data-binding='" + added.get("id").asLong() + "']";
        browser.findWithText(row, "cap:audit");

        browser.find(row + " button").click();
        browser.await(d -> d.findElements(By.cssSelector(row)).isEmpty());
        assertThat(Relays.ok(api.get("/api/channel-bindings?channelId=" + CHANNEL)).json()).hasSize(1);
    }

    @Test
    void channelEventsAndActivityShowLive() {
        open("channels/" + CHANNEL);
        browser.findWithText(".detail [data-binding]", "tag:support");

        Relays.ok(api.post("/api/channels/" + CHANNEL + "/events", envelope("message.created", "checkout is down")));
        browser.findWithText(".detail [data-kind=event]", "tag:support: checkout is down");
        Http.Response activity = api.post("/api/channels/" + CHANNEL + "/activities", envelope("typing.started", null));
        assertThat(activity.status()).as(activity.text()).isEqualTo(202);
        browser.findWithText(".detail [data-kind=activity]", "typing.started in C42");
    }
}
