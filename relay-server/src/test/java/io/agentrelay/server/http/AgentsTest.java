package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static io.agentrelay.server.testing.JsonLists.strings;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/agents}: registration, sessions, listing, patching, heartbeats, actions, removal. */
class AgentsTest {
    /** TestRelay runs with the default STALE_TTL_MS of one minute. */
    private static final Duration STALE_TTL = Duration.ofMinutes(1);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        http = relay.http();
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    // ---- registration ----

    @Test
    void registeringANewAgentIsCreatedAndRegisteringAgainUpdatesIt() {
        Http.Response created = http.post("/api/agents", Map.of("id", "alice", "name", "Alice",
                "tags", List.of("review"), "capabilities", List.of("java"), "label", "lead", "machine", "box-1"));
        long createdAt = relay.clock().millis();
        relay.clock().advance(Duration.ofSeconds(5));
        Http.Response updated = http.post("/api/agents", Map.of("id", "alice", "name", "Alice B.",
                "tags", List.of("review", "ops")));

        assertThat(created.status()).isEqualTo(201);
        JsonNode card = created.json();
        assertThat(card.get("id").asText()).isEqualTo("alice");
        assertThat(card.get("name").asText()).isEqualTo("Alice");
        assertThat(card.get("kind").asText()).isEqualTo("provider");
        assertThat(card.get("status").asText()).isEqualTo("online");
        assertThat(card.get("label").asText()).isEqualTo("lead");
        assertThat(strings(card.get("tags"))).containsExactly("review");
        assertThat(strings(card.get("capabilities"))).containsExactly("java");
        assertThat(card.get("machine").asText()).isEqualTo("box-1");
        assertThat(card.get("epoch").asLong()).isEqualTo(1);
        assertThat(card.get("lastSeenAt").asLong()).isEqualTo(createdAt);

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("Alice B.");
        assertThat(strings(updated.json().get("tags"))).containsExactly("review", "ops");
        assertThat(updated.json().get("createdAt").asLong()).isEqualTo(createdAt);
        assertThat(updated.json().get("lastSeenAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(http.get("/api/agents/alice").json().get("name").asText()).isEqualTo("Alice B.");
    }

    @Test
    void registeringAgainKeepsWhatItDoesNotMentionAndReplaceResetsIt() {
        http.post("/api/agents", Map.of("id", "alice", "name", "Alice", "kind", "user", "tags", List.of("review"),
                "capabilities", List.of("review"), "label", "lead", "machine", "box-1", "meta", Map.of("team", "infra")));

        JsonNode merged = http.post("/api/agents", Map.of("id", "alice", "name", "Alice")).json();
        assertThat(strings(merged.get("capabilities"))).as("cap:review still reaches her").containsExactly("review");
        assertThat(strings(merged.get("tags"))).containsExactly("review");
        assertThat(merged.get("label").asText()).isEqualTo("lead");
        assertThat(merged.get("kind").asText()).isEqualTo("user");
        assertThat(merged.get("machine").asText()).isEqualTo("box-1");
        assertThat(merged.get("meta").get("team").asText()).isEqualTo("infra");

        JsonNode cleared = http.post("/api/agents", "{\"id\":\"alice\",\"name\":\"Alice\",\"tags\":[],\"label\":null}").json();
        assertThat(cleared.get("tags")).as("an empty list is mentioned: it clears").isEmpty();
        assertThat(cleared.get("label").isNull()).isTrue();
        assertThat(strings(cleared.get("capabilities"))).containsExactly("review");

        JsonNode replaced = http.post("/api/agents", Map.of("id", "alice", "name", "Alice", "replace", true)).json();
        assertThat(replaced.get("capabilities")).isEmpty();
        assertThat(replaced.get("kind").asText()).isEqualTo("provider");
        assertThat(replaced.get("meta")).isEmpty();
        assertThat(replaced.get("machine").isNull()).isTrue();
    }

    @Test
    void theEpochIncrementsOnlyWhenTheInstanceIdChanges() {
        assertThat(epochAfterRegistering("i1")).isEqualTo(1);
        assertThat(epochAfterRegistering("i1")).isEqualTo(1);
        assertThat(epochAfterRegistering(null)).as("no instanceId keeps the session").isEqualTo(1);
        assertThat(epochAfterRegistering("i2")).isEqualTo(2);
        assertThat(epochAfterRegistering("i2")).isEqualTo(2);
        assertThat(epochAfterRegistering("i1")).isEqualTo(3);

        JsonNode card = http.get("/api/agents/alice").json();
        assertThat(card.get("epoch").asLong()).isEqualTo(3);
        assertThat(card.get("instanceId").asText()).isEqualTo("i1");
    }

    @Test
    void aRegistrationWithoutANameOrWithATargetAsIdIsRejectedNamingTheField() {
        Http.Response noName = http.post("/api/agents", Map.of("id", "alice"));
        Http.Response targetId = http.post("/api/agents", Map.of("id", "tag:x", "name", "x"));

        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asText()).isEqualTo("name");
        assertThat(targetId.status()).isEqualTo(400);
        assertThat(targetId.json().get("field").asText()).isEqualTo("id");
        assertThat(http.get("/api/agents").json().get("agents")).isEmpty();
    }

    // ---- listing and lookup ----

    @Test
    void theListCanBeFilteredByStatusTagCapabilityAndKind() {
        relay.register("a1", Map.of("tags", List.of("review"), "capabilities", List.of("java")));
        relay.register("a2", Map.of("kind", "user", "tags", List.of("review", "ops"), "status", "busy"));
        relay.register("a3", Map.of("kind", "channel", "capabilities", List.of("java"), "status", "idle"));
        relay.register("a4", Map.of("status", "offline"));

        assertThat(listed("")).containsExactly("a1", "a2", "a3", "a4");
        assertThat(listed("?status=busy")).containsExactly("a2");
        assertThat(listed("?status=online")).containsExactly("a1");
        assertThat(listed("?tag=review")).containsExactly("a1", "a2");
        assertThat(listed("?cap=java")).containsExactly("a1", "a3");
        assertThat(listed("?kind=provider")).containsExactly("a1", "a4");
        assertThat(listed("?kind=user&tag=review")).containsExactly("a2");
        assertThat(listed("?tag=review&cap=java")).containsExactly("a1");
        assertThat(listed("?tag=nobody")).isEmpty();
    }

    @Test
    void theListIsPagedWhenALimitIsGivenAndWholeWhenNot() {
        for (String id : List.of("p1", "p2", "p3", "p4", "p5")) {
            relay.register(id, Map.of("tags", List.of("pool")));
        }
        relay.register("q1");

        // Unpaged, as the TypeScript server's clients expect: every agent and no cursor.
        JsonNode whole = http.get("/api/agents").json();
        assertThat(whole.get("agents")).hasSize(6);
        assertThat(whole.has("nextAfter")).isFalse();

        JsonNode first = http.get("/api/agents?tag=pool&limit=2").json();
        assertThat(ids(first)).containsExactly("p1", "p2");
        assertThat(first.get("nextAfter").asText()).isEqualTo("p2");
        JsonNode second = http.get("/api/agents?tag=pool&limit=2&after=p2").json();
        assertThat(ids(second)).containsExactly("p3", "p4");
        JsonNode third = http.get("/api/agents?tag=pool&limit=2&after=" + second.get("nextAfter").asText()).json();
        assertThat(ids(third)).containsExactly("p5");
        assertThat(third.get("nextAfter").isNull()).isTrue();
    }

    @Test
    void aLimitOutOfRangeIsRejectedNamingTheParameter() {
        for (String limit : List.of("0", "1001", "ten")) {
            Http.Response response = http.get("/api/agents?limit=" + limit);

            assertThat(response.status()).as("limit=%s", limit).isEqualTo(400);
            assertThat(response.json().get("field").asText()).isEqualTo("limit");
        }
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new java.util.ArrayList<>();
        page.get("agents").forEach(agent -> ids.add(agent.get("id").asText()));
        return ids;
    }

    @Test
    void anUnknownStatusFilterIsRejectedNamingTheParameter() {
        Http.Response response = http.get("/api/agents?status=sleepy");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("status");
    }

    @Test
    void anUnknownAgentIsNotFound() {
        Http.Response response = http.get("/api/agents/nobody");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.error()).contains("nobody");
        assertThat(http.patch("/api/agents/nobody", Map.of("status", "busy")).status()).isEqualTo(404);
    }

    // ---- patch ----

    @Test
    void patchChangesOnlyTheGivenFields() {
        relay.register("alice", Map.of("tags", List.of("review"), "capabilities", List.of("java"), "label", "lead",
                "meta", Map.of("team", "core"), "instanceId", "i1"));

        Http.Response patched = http.patch("/api/agents/alice", Map.of("tags", List.of("ops"), "label", "oncall",
                "status", "busy", "meta", Map.of("team", "infra")));

        assertThat(patched.status()).isEqualTo(200);
        JsonNode card = http.get("/api/agents/alice").json();
        assertThat(strings(card.get("tags"))).containsExactly("ops");
        assertThat(card.get("label").asText()).isEqualTo("oncall");
        assertThat(card.get("status").asText()).isEqualTo("busy");
        assertThat(card.get("meta").get("team").asText()).isEqualTo("infra");
        assertThat(strings(card.get("capabilities"))).as("not in the patch, so kept").containsExactly("java");
        assertThat(card.get("name").asText()).isEqualTo("alice");
        assertThat(card.get("instanceId").asText()).isEqualTo("i1");
        assertThat(card.get("epoch").asLong()).isEqualTo(1);
    }

    @Test
    void anExplicitNullLabelClearsItWhileAnAbsentLabelKeepsIt() {
        relay.register("alice", Map.of("label", "lead"));

        http.patch("/api/agents/alice", Map.of("status", "idle"));
        assertThat(http.get("/api/agents/alice").json().get("label").asText()).isEqualTo("lead");

        Http.Response cleared = http.patch("/api/agents/alice", "{\"label\": null}");
        assertThat(cleared.status()).isEqualTo(200);
        JsonNode label = http.get("/api/agents/alice").json().get("label");
        assertThat(label == null || label.isNull()).as("label after clearing: %s", label).isTrue();
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("idle");
    }

    @Test
    void aPatchedLabelChangesWhichLabelMessagesReachTheAgent() {
        relay.register("alice", Map.of("label", "lead"));
        relay.register("bob");
        relay.send("bob", "label:lead", "to the lead");
        relay.send("bob", "label:oncall", "to oncall");

        http.patch("/api/agents/alice", Map.of("label", "oncall"));

        JsonNode inbox = http.get("/api/messages?for=alice").json().get("messages");
        assertThat(inbox).extracting(m -> m.get("body").asText()).containsExactly("to oncall");
    }

    @Test
    void labelsAreHumanNamesWithSpacesAndLabelTargetsRouteByTheExactTrimmedLabel() {
        Http.Response registered = relay.register("writer1", Map.of("label", "  test writer "));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("label").asText()).isEqualTo("test writer");
        relay.register("fixer", Map.of("label", "fixer"));
        assertThat(http.patch("/api/agents/fixer", Map.of("label", "backend fixer")).status()).isEqualTo(200);
        relay.register("bob");

        assertThat(relay.send("bob", "label:test writer", "to the writer").status()).isEqualTo(201);
        relay.send("bob", "label:backend fixer", "to the fixer");
        relay.send("bob", "label:test", "to nobody");

        assertThat(http.get("/api/messages?for=writer1").json().get("messages"))
                .extracting(m -> m.get("body").asText()).containsExactly("to the writer");
        assertThat(http.get("/api/messages?for=fixer").json().get("messages"))
                .extracting(m -> m.get("body").asText()).containsExactly("to the fixer");
        assertThat(http.post("/api/messages", Map.of("from", "bob", "to", "tag:two words", "body", "x")).status())
                .as("only label: names may have spaces").isEqualTo(400);
    }

    // ---- heartbeat ----

    @Test
    void aHeartbeatAnswersOkAndRecordsTheSignOfLife() {
        relay.register("alice");
        relay.clock().advance(Duration.ofSeconds(30));

        Http.Response beat = http.post("/api/agents/alice/heartbeat", Map.of());

        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().get("ok").asBoolean()).isTrue();
        assertThat(http.get("/api/agents/alice").json().get("lastSeenAt").asLong()).isEqualTo(relay.clock().millis());
    }

    @Test
    void aHeartbeatBringsAStaleAgentBackOnline() {
        relay.register("alice");
        relay.register("bob");
        relay.clock().advance(STALE_TTL.plusSeconds(1));
        http.post("/api/agents/bob/heartbeat", Map.of());

        Http.Response reap = http.post("/api/system/reap", Map.of());
        assertThat(strings(reap.json().get("reapedAgentIds"))).containsExactly("alice");
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("stale");

        Http.Response beat = http.post("/api/agents/alice/heartbeat", Map.of());

        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().get("ok").asBoolean()).isTrue();
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("online");
        assertThat(strings(http.post("/api/system/reap", Map.of()).json().get("reapedAgentIds"))).isEmpty();
        JsonNode statusEvents = http.get("/api/events?types=agent.status&agentId=alice").json().get("events");
        assertThat(statusEvents).extracting(e -> e.get("data").get("status").asText()).containsExactly("stale", "online");
    }

    @Test
    void aHeartbeatMayReportABusyStatus() {
        relay.register("alice");

        Http.Response beat = http.post("/api/agents/alice/heartbeat", Map.of("status", "busy"));

        assertThat(beat.status()).isEqualTo(200);
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("busy");
        assertThat(http.post("/api/agents/alice/heartbeat", Map.of()).status()).isEqualTo(200);
        assertThat(http.get("/api/agents/alice").json().get("status").asText())
                .as("a plain heartbeat keeps a status the agent chose").isEqualTo("busy");
    }

    @Test
    void aHeartbeatForAnUnknownAgentIsNotFoundSoTheClientReRegisters() {
        assertThat(http.post("/api/agents/nobody/heartbeat", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aHeartbeatFromAStaleSessionIsAConflict() {
        relay.register("alice", Map.of("instanceId", "old"));
        relay.register("alice", Map.of("instanceId", "new"));

        List<Http.Response> stale = List.of(
                http.post("/api/agents/alice/heartbeat", Map.of("instanceId", "old")),
                http.post("/api/agents/alice/heartbeat", Map.of("epoch", 1)),
                http.with("X-Agent-Instance", "old").post("/api/agents/alice/heartbeat", Map.of()),
                http.with("X-Agent-Epoch", "1").post("/api/agents/alice/heartbeat", Map.of()),
                http.post("/api/agents/alice/heartbeat", Map.of("instanceId", "new", "epoch", 1)));

        assertThat(stale).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.json().get("code").asText()).isEqualTo("stale_session");
            assertThat(response.json().get("epoch").asLong()).isEqualTo(2);
        });
        assertThat(http.post("/api/agents/alice/heartbeat", Map.of("instanceId", "new", "epoch", 2)).status())
                .isEqualTo(200);
        assertThat(http.with("X-Agent-Instance", "new").with("X-Agent-Epoch", "2")
                .post("/api/agents/alice/heartbeat", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aMalformedEpochHeaderIsRejectedNamingTheHeader() {
        relay.register("alice");

        Http.Response response = http.with("X-Agent-Epoch", "two").post("/api/agents/alice/heartbeat", Map.of());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("X-Agent-Epoch");
    }

    // ---- actions ----

    @Test
    void aShutdownActionSaysWhoAskedWhenTheRequestNamesThem() {
        relay.register("alice");

        Http.Response action = http.post("/api/agents/alice/actions", Map.of("action", "shutdown", "requestedBy", "ops-bot"));

        assertThat(action.status()).isEqualTo(201);
        assertThat(action.json().get("subject").asText()).isEqualTo("Shutdown requested");
        assertThat(action.json().get("body").asText())
                .isEqualTo("ops-bot requested that this agent shut down its relay-managed session now.");
        assertThat(action.json().get("payload").get("agentControl").get("requestedBy").asText()).isEqualTo("ops-bot");
    }

    @Test
    void aRestartActionSendsAnUrgentControlMessageFromSystem() {
        relay.register("alice");

        Http.Response action = http.post("/api/agents/alice/actions", Map.of("action", "restart"));

        assertThat(action.status()).isEqualTo(201);
        JsonNode inbox = http.get("/api/messages?for=alice").json().get("messages");
        assertThat(inbox).hasSize(1);
        JsonNode control = inbox.get(0);
        assertThat(control.get("id").asLong()).isEqualTo(action.json().get("id").asLong());
        assertThat(control.get("from").asText()).isEqualTo("system");
        assertThat(control.get("to").asText()).isEqualTo("alice");
        assertThat(control.get("kind").asText()).isEqualTo("control");
        assertThat(control.get("payload").get("agentControl").get("action").asText()).isEqualTo("restart");
        assertThat(control.get("meta").get("delivery").asText()).isEqualTo("interrupt");
        assertThat(control.get("meta").get("priority").asText()).isEqualTo("urgent");
        assertThat(control.get("subject").asText()).isEqualTo("Restart requested");
        assertThat(control.get("body").asText())
                .isEqualTo("Dashboard requested that this agent restart its relay-managed session now.");
        JsonNode agentControl = control.get("payload").get("agentControl");
        assertThat(agentControl.get("requestedBy").asText()).isEqualTo("dashboard");
        assertThat(agentControl.get("requestedAt").asLong()).isEqualTo(relay.clock().millis());
    }

    @Test
    void anActionMustBeRestartOrShutdown() {
        relay.register("alice");

        Http.Response invalid = http.post("/api/agents/alice/actions", Map.of("action", "explode"));
        Http.Response missing = http.post("/api/agents/alice/actions", Map.of());

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("field").asText()).isEqualTo("action");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("action");
        assertThat(http.post("/api/agents/alice/actions", Map.of("action", "shutdown")).status()).isEqualTo(201);
        assertThat(http.get("/api/messages?for=alice").json().get("messages"))
                .extracting(m -> m.get("payload").get("agentControl").get("action").asText())
                .containsExactly("shutdown");
    }

    @Test
    void anActionForAnUnknownAgentIsNotFoundAndSendsNothing() {
        assertThat(http.post("/api/agents/nobody/actions", Map.of("action", "restart")).status()).isEqualTo(404);
        assertThat(http.get("/api/messages").json().get("messages")).isEmpty();
    }

    // ---- removal ----

    @Test
    void aDeletedAgentIsGone() {
        relay.register("alice");
        relay.register("bob");

        Http.Response deleted = http.delete("/api/agents/alice");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(http.get("/api/agents/alice").status()).isEqualTo(404);
        assertThat(listed("")).containsExactly("bob");
        assertThat(http.post("/api/agents/alice/heartbeat", Map.of()).status()).isEqualTo(404);
        assertThat(http.delete("/api/agents/alice").status()).isEqualTo(404);
    }

    // ---- the event log ----

    @Test
    void theLifeOfAnAgentIsRecordedInTheEventLog() {
        relay.register("alice");
        relay.register("alice", Map.of("instanceId", "i2"));
        http.patch("/api/agents/alice", Map.of("status", "busy"));
        http.post("/api/agents/alice/actions", Map.of("action", "restart"));
        http.delete("/api/agents/alice");

        JsonNode events = http.get("/api/events?agentId=alice").json().get("events");

        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly(
                "agent.registered", "agent.registered", "agent.status", "message.new", "agent.removed");
        assertThat(events.get(1).get("data").get("epoch").asLong()).isEqualTo(2);
        assertThat(events.get(2).get("data").get("status").asText()).isEqualTo("busy");
        assertThat(events.get(4).get("data").get("agentId").asText()).isEqualTo("alice");
        assertThat(events.get(4).get("data").get("reason").asText()).isEqualTo("deleted");
        assertThat(events).allSatisfy(e -> assertThat(e.get("id").asLong()).isPositive());
        assertThat(http.get("/api/events").json().get("lastEventId").asLong())
                .isEqualTo(events.get(4).get("id").asLong());
    }

    // ---- helpers ----

    private long epochAfterRegistering(String instanceId) {
        return relay.register("alice", instanceId == null ? Map.of() : Map.of("instanceId", instanceId))
                .json().get("epoch").asLong();
    }

    private List<String> listed(String query) {
        Http.Response response = http.get("/api/agents" + query);
        assertThat(response.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        response.json().get("agents").forEach(agent -> ids.add(agent.get("id").asText()));
        return ids;
    }

    @Test
    void patchRefusesAStaleSessionGuard() {
        relay.register("alice", Map.of("instanceId", "a-1"));
        relay.register("alice", Map.of("instanceId", "a-2"));

        var stale = http.patch("/api/agents/alice", Map.of("status", "busy", "instanceId", "a-1"));
        var current = http.patch("/api/agents/alice", Map.of("status", "busy", "instanceId", "a-2", "epoch", 2));

        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("code").asText()).isEqualTo("stale_session");
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.json().get("status").asText()).isEqualTo("busy");
    }
}
