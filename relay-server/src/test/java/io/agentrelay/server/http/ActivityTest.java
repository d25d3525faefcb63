package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/activity}: the event log newest first, plus client reports de-duplicated by clientId. */
class ActivityTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void theFeedIsTheEventLogNewestFirstPagedWithBefore() {
        relay = TestRelay.start(dir);
        relay.register("alice");
        relay.register("bob");
        relay.send("alice", "bob", "hi");

        Http.Response first = relay.http().get("/api/activity?limit=2");

        assertThat(first.status()).isEqualTo(200);
        assertThat(types(first.json().get("activity"))).containsExactly("message.new", "agent.registered");
        long before = first.json().get("nextBefore").asLong();
        Http.Response rest = relay.http().get("/api/activity?limit=2&before=" + before);
        assertThat(types(rest.json().get("activity"))).containsExactly("agent.registered");
        assertThat(rest.json().get("activity").get(0).get("scope").get("agentId").asText()).isEqualTo("alice");
        assertThat(rest.json().get("nextBefore").isNull()).isTrue();
        assertThat(relay.http().get("/api/activity?limit=0").status()).isEqualTo(400);
    }

    @Test
    void aClientReportIsRecordedOnceHoweverOftenItIsSent() {
        relay = TestRelay.start(dir);
        Map<String, Object> report = Map.of("clientId", "hook-42", "agentId", "alice", "type", "tool.run",
                "summary", "ran mvn verify", "data", Map.of("exit", 0));

        Http.Response created = relay.http().post("/api/activity", report);
        Http.Response again = relay.http().post("/api/activity", report);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("created").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        JsonNode item = created.json().get("activity");
        assertThat(again.json().get("activity").get("id").asLong()).isEqualTo(item.get("id").asLong());
        assertThat(item.get("type").asText()).isEqualTo("activity.reported");
        assertThat(item.get("data").get("summary").asText()).isEqualTo("ran mvn verify");
        assertThat(item.get("data").get("data").get("exit").asInt()).isZero();
        assertThat(types(relay.http().get("/api/activity").json().get("activity"))).containsExactly("activity.reported");

        assertThat(relay.http().post("/api/activity", Map.of("type", "x")).json().get("field").asText())
                .isEqualTo("clientId");
        assertThat(relay.http().post("/api/activity", Map.of("clientId", "c")).json().get("field").asText())
                .isEqualTo("title");
        assertThat(relay.http().post("/api/activity", Map.of("clientId", "c", "type", "x", "agentId", "tag:ops"))
                .json().get("field").asText()).isEqualTo("agentId");
    }

    @Test
    void theTypeScriptShapeIsAcceptedAndEveryItemIsReadableInBothShapes() {
        relay = TestRelay.start(dir);
        relay.register("bob");
        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("clientId", "c1");
        report.put("kind", "state");
        report.put("title", "Build finished");
        report.put("body", "ok");
        report.put("meta", "main · 2m");
        report.put("icon", "ti-check");
        report.put("view", "activity");
        report.put("agentId", "bob");
        report.put("metadata", Map.of("x", 1));

        Http.Response created = relay.http().post("/api/activity", report);

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode item = relay.http().get("/api/activity?limit=1").json().get("activity").get(0);
        assertThat(item.get("clientId").asText()).isEqualTo("c1");
        assertThat(item.get("kind").asText()).isEqualTo("state");
        assertThat(item.get("title").asText()).isEqualTo("Build finished");
        assertThat(item.get("body").asText()).isEqualTo("ok");
        assertThat(item.get("meta").asText()).isEqualTo("main · 2m");
        assertThat(item.get("icon").asText()).isEqualTo("ti-check");
        assertThat(item.get("view").asText()).isEqualTo("activity");
        assertThat(item.get("agentId").asText()).isEqualTo("bob");
        assertThat(item.get("metadata").get("x").asInt()).isEqualTo(1);
        assertThat(item.get("type").asText()).as("today's envelope stays").isEqualTo("activity.reported");
        assertThat(item.get("data").get("summary").asText()).isEqualTo("ok");
        assertThat(item.get("data").get("type").asText()).isEqualTo("activity.state");

        JsonNode older = relay.http().post("/api/activity", Map.of("clientId", "c2", "type", "tool.run",
                "summary", "ran", "agentId", "bob")).json().get("activity");
        assertThat(older.get("title").asText()).isEqualTo("tool.run");
        assertThat(older.get("body").asText()).isEqualTo("ran");
        assertThat(older.get("kind").asText()).isEqualTo("state");
        assertThat(relay.http().post("/api/activity", Map.of("clientId", "c3", "title", "t", "meta", 5))
                .json().get("field").asText()).isEqualTo("meta");
    }

    @Test
    void theRelayWritesItsOwnItemsForRegistrationsMessagesTasksActionsAndReaperRuns() {
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", "1000"));
        relay.register("alice", Map.of("name", "Alice"));
        relay.register("bob");
        relay.send("bob", "alice", "please review");
        relay.http().post("/api/agents/alice/actions", Map.of("action", "restart"));
        relay.clock().advance(java.time.Duration.ofMillis(1001));
        relay.http().post("/api/agents/alice/heartbeat", Map.of());
        relay.http().post("/api/system/reap", Map.of());

        List<JsonNode> items = new ArrayList<>();
        relay.http().get("/api/activity?limit=100").json().get("activity").forEach(items::add);

        assertThat(items).filteredOn(i -> i.get("title").asText().equals("Agent registered"))
                .extracting(i -> i.get("body").asText()).containsExactly("bob", "Alice (alice)");
        JsonNode sent = items.stream().filter(i -> i.get("title").asText().equals("Message sent")).findFirst().orElseThrow();
        assertThat(sent.get("kind").asText()).isEqualTo("message");
        assertThat(sent.get("view").asText()).isEqualTo("messages");
        assertThat(sent.get("body").asText()).isEqualTo("bob → alice: please review");
        assertThat(sent.get("messageId").asLong()).isPositive();
        assertThat(sent.get("agentId").asText()).isEqualTo("bob");
        assertThat(items).extracting(i -> i.get("title").asText()).contains("Agent restart requested");
        JsonNode reaper = items.stream().filter(i -> i.get("title").asText().equals("Maintenance reaper run"))
                .findFirst().orElseThrow();
        assertThat(reaper.get("body").asText()).isEqualTo("1 stale agent(s), 0 stale orchestrator(s), 0 message claim(s), "
                + "0 task claim(s), 0 queued message(s), 0 command(s)");
        assertThat(reaper.get("icon").asText()).isEqualTo("ti-broom");
        assertThat(reaper.get("kind").asText()).isEqualTo("state");
        assertThat(reaper.get("clientId").asText()).startsWith("server-reaper-");
        assertThat(reaper.get("metadata").get("reapedAgentIds").get(0).asText()).isEqualTo("bob");
        long newest = items.get(0).get("id").asLong();
        relay.http().post("/api/system/reap", Map.of());
        assertThat(relay.http().get("/api/activity?limit=1").json().get("activity").get(0).get("id").asLong())
                .as("a run that changes nothing writes nothing").isEqualTo(newest);
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        return types;
    }
}
