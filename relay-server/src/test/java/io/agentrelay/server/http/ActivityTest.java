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
                .isEqualTo("type");
        assertThat(relay.http().post("/api/activity", Map.of("clientId", "c", "type", "x", "agentId", "tag:ops"))
                .json().get("field").asText()).isEqualTo("agentId");
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        return types;
    }
}
