package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels over HTTP (REFERENCE §2.6): the derived channel list, bindings (upsert, list, ours:
 * delete), the channel session guard, the {@code agent-relay.channel.v1} envelope with the
 * TypeScript server's texts, channel events delivered as messages per binding with their 201/200
 * idempotency, activity streamed live and never stored; and §1.5, integration events that take
 * their target from the channel's binding.
 */
class ChannelsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHANNEL = "slack:T1";
    private static final String MONITOR_TOKEN = "monitor-token-0123456789";

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start() {
        start(Map.of());
    }

    private void start(Map<String, String> env) {
        relay = TestRelay.start(dir, env);
        http = relay.http();
    }

    /** A Slack bridge: kind channel, instance bridge-1 (epoch 1), account T1 derived from its id. */
    private void registerBridge() {
        relay.register(CHANNEL, Map.of("kind", "channel", "instanceId", "bridge-1", "tags", List.of("channel:slack"),
                "ready", true));
    }

    private Http.Response bind(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.putIfAbsent("channelId", CHANNEL);
        body.putIfAbsent("instanceId", "bridge-1");
        body.putIfAbsent("epoch", 1);
        return http.post("/api/channel-bindings", body);
    }

    private long bound(Map<String, Object> fields) {
        Http.Response response = bind(fields);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    /** A valid inbound Slack message envelope for conversation {@code conversation}. */
    private static Map<String, Object> envelope(String conversation, String text) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("schema", "agent-relay.channel.v1");
        payload.put("channel", Map.of("provider", "slack", "accountId", "T1", "agentId", CHANNEL));
        payload.put("direction", "inbound");
        payload.put("conversation", Map.of("id", conversation, "type", "channel"));
        payload.put("actor", Map.of("id", "U7", "kind", "user"));
        payload.put("event", Map.of("type", "message.created"));
        payload.put("message", Map.of("text", text));
        return payload;
    }

    private static Map<String, Object> guarded(Map<String, Object> payload, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("payload", payload);
        body.put("instanceId", "bridge-1");
        body.put("epoch", 1);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private Http.Response postEvent(Map<String, Object> body) {
        return http.post("/api/channels/" + CHANNEL + "/events", body);
    }

    private Http.Response postActivity(Map<String, Object> body) {
        return http.post("/api/channels/" + CHANNEL + "/activities", body);
    }

    private static Map<String, Object> with(Map<String, Object> payload, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(payload);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    private void assertRefused(Http.Response response, int status, String error, String field) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
        if (field != null) {
            assertThat(response.json().get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void channelsAreTheAgentsThatAreChannelsDescribedFromTheirCards() {
        start();
        registerBridge();
        relay.register("tg-bot", Map.of("meta", Map.of("kind", "communication-channel", "channelId", "telegram-main",
                "channelType", "telegram", "transport", "bot-api", "accountId", "acct-9", "direction", "inbound",
                "topicChannels", List.of("ops", "dev"))));
        relay.register("web", Map.of("capabilities", List.of("channel")));
        relay.register("alice", Map.of("tags", List.of("backend")));

        Http.Response list = http.get("/api/channels");

        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> channels = JsonLists.nodes(list.json());
        assertThat(channels).extracting(c -> c.get("id").asText()).as("ready first, then by name")
                .containsExactly(CHANNEL, "telegram-main", "web");
        JsonNode slack = channels.get(0);
        assertThat(slack.get("type").asText()).isEqualTo("slack");
        assertThat(slack.get("transport").asText()).isEqualTo("slack");
        assertThat(slack.get("accountId").asText()).isEqualTo("T1");
        assertThat(slack.get("agentId").asText()).isEqualTo(CHANNEL);
        assertThat(slack.get("status").asText()).isEqualTo("online");
        assertThat(slack.get("ready").asBoolean()).isTrue();
        assertThat(slack.get("direction").asText()).isEqualTo("bidirectional");
        JsonNode telegram = channels.get(1);
        assertThat(telegram.get("type").asText()).isEqualTo("telegram");
        assertThat(telegram.get("transport").asText()).isEqualTo("bot-api");
        assertThat(telegram.get("accountId").asText()).isEqualTo("acct-9");
        assertThat(telegram.get("agentId").asText()).isEqualTo("tg-bot");
        assertThat(telegram.get("direction").asText()).isEqualTo("inbound");
        assertThat(JsonLists.strings(telegram.get("topicChannels"))).containsExactly("ops", "dev");
        JsonNode web = channels.get(2);
        assertThat(web.get("type").asText()).isEqualTo("custom");
        assertThat(web.get("accountId").asText()).isEqualTo("web");
    }

    @Test
    void aBindingIsCreatedListedRebindedAndDeletedEachWithItsEvent() {
        start();
        registerBridge();
        relay.register("other", Map.of("kind", "channel", "instanceId", "bridge-1"));

        Http.Response created = bind(Map.of("target", "tag:support"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode binding = created.json();
        assertThat(binding.get("channelId").asText()).isEqualTo(CHANNEL);
        assertThat(binding.get("conversationId").isNull()).isTrue();
        assertThat(binding.get("target").get("type").asText()).isEqualTo("tag");
        assertThat(binding.get("target").get("id").asText()).isEqualTo("support");
        assertThat(binding.get("mode").asText()).isEqualTo("exclusive");
        assertThat(binding.get("priority").isNull()).isTrue();

        Http.Response again = bind(Map.of("target", Map.of("type", "tag", "id", "support"), "mode", "broadcast",
                "priority", 4));
        assertThat(again.status()).as("an upsert answers 201 every time").isEqualTo(201);
        assertThat(again.json().get("id").asLong()).isEqualTo(binding.get("id").asLong());
        assertThat(again.json().get("mode").asText()).isEqualTo("broadcast");
        assertThat(again.json().get("priority").asLong()).isEqualTo(4);
        bound(Map.of("channelId", "other", "target", "broadcast"));

        assertThat(JsonLists.nodes(http.get("/api/channel-bindings").json())).hasSize(2);
        List<JsonNode> mine = JsonLists.nodes(http.get("/api/channel-bindings?channelId=" + CHANNEL).json());
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("priority").asLong()).isEqualTo(4);

        Http.Response deleted = http.delete("/api/channel-bindings/" + binding.get("id").asLong());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("ok").asBoolean()).isTrue();
        assertThat(JsonLists.nodes(http.get("/api/channel-bindings?channelId=" + CHANNEL).json())).isEmpty();
        assertRefused(http.delete("/api/channel-bindings/" + binding.get("id").asLong()), 404,
                "channel binding not found", null);
        assertRefused(http.delete("/api/channel-bindings/abc"), 400, "invalid channel binding id: 'abc'", null);

        List<JsonNode> changed = relay.events("channel.binding.changed");
        assertThat(changed).hasSize(3);
        assertThat(changed.get(0).get("scope").get("channel").asText()).isEqualTo(CHANNEL);
        assertThat(changed.get(0).get("scope").get("agentId").asText()).isEqualTo(CHANNEL);
        assertThat(changed.get(1).get("data").get("mode").asText()).isEqualTo("broadcast");
        JsonNode item = JsonLists.nodes(http.get("/api/activity?limit=1").json().get("activity")).get(0);
        assertThat(item.get("title").asText()).isEqualTo("Channel binding removed");
        assertThat(item.get("body").asText()).isEqualTo("#" + binding.get("id").asLong() + " " + CHANNEL
                + " → tag:support (broadcast)");
        List<JsonNode> removed = relay.events("channel.binding.removed");
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).get("data").get("id").asLong()).isEqualTo(binding.get("id").asLong());
    }

    @Test
    void bindingTargetsAreReadAsTheTypeScriptServerReadsThem() {
        start();
        registerBridge();
        Map<String, String[]> expected = new LinkedHashMap<>();
        expected.put("alice", new String[] {"agent", "alice"});
        expected.put("cap:triage", new String[] {"capability", "triage"});
        expected.put("label:backend fixer", new String[] {"label", "backend fixer"});
        expected.put("pool:reviewers", new String[] {"pool", "reviewers"});
        expected.put("policy:oncall", new String[] {"policy", "oncall"});
        expected.put("broadcast", new String[] {"broadcast", null});
        for (Map.Entry<String, String[]> entry : expected.entrySet()) {
            JsonNode target = bind(Map.of("target", entry.getKey())).json().get("target");
            assertThat(target.get("type").asText()).as(entry.getKey()).isEqualTo(entry.getValue()[0]);
            if (entry.getValue()[1] == null) {
                assertThat(target.get("id").isNull()).isTrue();
            } else {
                assertThat(target.get("id").asText()).isEqualTo(entry.getValue()[1]);
            }
        }
        JsonNode capability = bind(Map.of("target", Map.of("type", "capability", "id", "java"))).json();
        assertThat(capability.get("target").get("id").asText()).isEqualTo("java");
        JsonNode dropped = bind(Map.of("target", "bob", "priority", 1.5)).json();
        assertThat(dropped.get("priority").isNull()).as("a priority that is not a safe integer is dropped").isTrue();
        assertThat(bind(Map.of("target", "carol", "priority", 9_007_199_254_740_993L)).json().get("priority").isNull())
                .isTrue();
    }

    @Test
    void badBindingsAre400WithTheTypeScriptTextsAndLeaveNothing() {
        start();
        registerBridge();

        assertRefused(http.post("/api/channel-bindings", List.of()), 400, "JSON object body required", null);
        assertRefused(http.send("POST", "/api/channel-bindings", null), 400, "JSON object body required", null);
        assertRefused(bind(Map.of("channelId", "", "target", "alice")), 400, "channelId is required", "channelId");
        assertRefused(bind(Map.of("channelId", "c".repeat(201), "target", "alice")), 400,
                "channelId must be at most 200 characters", "channelId");
        assertRefused(bind(Map.of("conversationId", "c".repeat(301), "target", "alice")), 400,
                "conversationId must be at most 300 characters", "conversationId");
        assertRefused(bind(Map.of("mode", "claimable", "target", "alice")), 400,
                "mode must be one of exclusive|broadcast, got \"claimable\"", "mode");
        assertRefused(bind(Map.of()), 400, "target required", "target");
        assertRefused(bind(Map.of("target", "orchestrator:build-1")), 400,
                "orchestrator channel targets are not supported yet", "target");
        assertRefused(bind(Map.of("target", Map.of("type", "orchestrator", "id", "b"))), 400,
                "orchestrator channel targets are not supported yet", "target");
        assertRefused(bind(Map.of("target", Map.of("type", "robot", "id", "b"))), 400,
                "target.type must be one of agent|label|tag|capability|broadcast|orchestrator|pool|policy, got \"robot\"",
                "target.type");
        assertRefused(bind(Map.of("target", Map.of("type", "tag"))), 400, "target.id is required", "target.id");
        assertRefused(bind(Map.of("target", Map.of("type", "agent", "id", "a".repeat(241)))), 400,
                "target.id must be at most 240 characters", "target.id");
        assertRefused(bind(Map.of("target", "two words")), 400,
                "target must not contain whitespace (only a label: name may have spaces)", "target");
        assertRefused(bind(Map.of("target", 7)), 400, "target must be an address string or an object {type, id}",
                "target");
        assertRefused(bind(Map.of("channelId", "nowhere", "target", "alice")), 404, "channel not found", null);

        assertThat(JsonLists.nodes(http.get("/api/channel-bindings").json())).isEmpty();
        assertThat(relay.events("channel.binding.changed")).isEmpty();
        assertRefused(http.get("/api/channel-bindings?channelId=" + "c".repeat(201)), 400,
                "channelId must be at most 200 characters", "channelId");
    }

    @Test
    void bindingAndPostingNeedTheChannelAgentsCurrentSession() {
        start();
        registerBridge();
        bound(Map.of("target", "alice"));

        Map<String, Object> unguarded = new HashMap<>(Map.of("channelId", CHANNEL, "target", "bob"));
        assertRefused(http.post("/api/channel-bindings", unguarded), 400, "channel session guard required", null);
        Http.Response stale = bind(Map.of("target", "bob", "instanceId", "bridge-0"));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.json().get("code").asText()).isEqualTo("stale_session");
        assertThat(bind(Map.of("target", "bob", "epoch", 2)).status()).isEqualTo(409);
        Http.Response byHeaders = http.with("X-Agent-Instance", "bridge-1").with("X-Agent-Epoch", "1")
                .post("/api/channel-bindings", unguarded);
        assertThat(byHeaders.status()).as("the guard may come in headers").isEqualTo(201);

        Map<String, Object> event = new HashMap<>(Map.of("payload", envelope("C1", "hi")));
        assertRefused(postEvent(event), 400, "channel session guard required", null);
        assertRefused(postActivity(event), 400, "channel session guard required", null);
        assertThat(postEvent(guarded(envelope("C1", "hi"), "instanceId", "bridge-0")).status()).isEqualTo(409);
        assertRefused(http.post("/api/channels/nowhere/events", event), 404, "channel not found", null);
        assertRefused(http.post("/api/channels/nowhere/activities", event), 404, "channel not found", null);
        assertThat(http.get("/api/messages").json().get("messages")).isEmpty();
    }

    @Test
    void anEventGoesToEveryResolvedBindingAsAChannelEventMessageOnceForItsKey() {
        start();
        registerBridge();
        relay.register("alice", Map.of("tags", List.of("support")));
        long wide = bound(Map.of("target", "tag:support"));
        long observer = bound(Map.of("target", "cap:audit", "mode", "broadcast"));
        bound(Map.of("target", "bob", "priority", -1));

        Http.Response first = postEvent(guarded(envelope("C1", "the build is red"), "idempotencyKey", "evt-1"));

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(JsonLists.nodes(first.json().get("bindings"))).extracting(b -> b.get("id").asLong())
                .containsExactly(wide, observer);
        List<JsonNode> messages = JsonLists.nodes(first.json().get("messages"));
        assertThat(messages).extracting(m -> m.get("to").asText()).containsExactly("tag:support", "cap:audit");
        JsonNode message = messages.get(0);
        assertThat(message.get("from").asText()).isEqualTo(CHANNEL);
        assertThat(message.get("kind").asText()).isEqualTo("channel.event");
        assertThat(message.get("channel").asText()).isEqualTo(CHANNEL);
        assertThat(message.get("body").asText()).isEqualTo("the build is red");
        assertThat(message.get("claimable").asBoolean()).isFalse();
        assertThat(message.get("idempotencyKey").asText()).isEqualTo("evt-1:" + wide);
        assertThat(message.get("payload").get("schema").asText()).isEqualTo("agent-relay.channel.v1");
        assertThat(message.get("meta").get("channelBindingId").asLong()).isEqualTo(wide);
        assertThat(message.get("meta").get("conversationId").asText()).isEqualTo("C1");
        assertThat(message.get("meta").get("eventType").asText()).isEqualTo("message.created");

        JsonNode inbox = http.get("/api/messages?for=alice").json();
        assertThat(JsonLists.nodes(inbox.get("messages"))).extracting(m -> m.get("body").asText())
                .containsExactly("the build is red");
        assertThat(relay.events("message.new")).hasSize(2);

        Http.Response repeat = postEvent(guarded(envelope("C1", "the build is red"), "idempotencyKey", "evt-1"));
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("created").asBoolean()).isFalse();
        assertThat(JsonLists.nodes(repeat.json().get("messages"))).extracting(m -> m.get("id").asLong())
                .containsExactly(messages.get(0).get("id").asLong(), messages.get(1).get("id").asLong());
        assertThat(relay.events("message.new")).as("a repeat sends nothing").hasSize(2);

        Map<String, Object> dedupe = with(envelope("C1", "again"), "dedupe", Map.of("key", "evt-1"));
        assertThat(postEvent(guarded(dedupe)).status()).as("payload.dedupe.key is the key too").isEqualTo(200);
        Http.Response unkeyed = postEvent(guarded(with(envelope("C1", "x"), "message", null), "body", "from body"));
        assertThat(unkeyed.status()).as(unkeyed.text()).isEqualTo(400);
    }

    @Test
    void conversationBindingsComeBeforeChannelWideOnesAndPriorityOrdersALevel() {
        start();
        registerBridge();
        bound(Map.of("target", "tag:support"));
        long low = bound(Map.of("conversationId", "C9", "target", "alice", "priority", 1));
        long high = bound(Map.of("conversationId", "C9", "target", "bob", "priority", 10));
        long watcher = bound(Map.of("conversationId", "C9", "target", "broadcast", "mode", "broadcast"));

        Http.Response specific = postEvent(guarded(envelope("C9", "in C9")));
        assertThat(JsonLists.nodes(specific.json().get("bindings"))).extracting(b -> b.get("id").asLong())
                .as("the highest exclusive one and every broadcast one").containsExactly(high, watcher);
        assertThat(JsonLists.nodes(specific.json().get("messages"))).extracting(m -> m.get("to").asText())
                .containsExactly("bob", "broadcast");

        Http.Response other = postEvent(guarded(envelope("C2", "in C2")));
        assertThat(JsonLists.nodes(other.json().get("messages"))).extracting(m -> m.get("to").asText())
                .containsExactly("tag:support");
        Http.Response overridden = postEvent(guarded(envelope("C2", "moved"), "conversationId", "C9"));
        assertThat(JsonLists.nodes(overridden.json().get("messages"))).extracting(m -> m.get("to").asText())
                .as("the request's conversationId wins over the payload's").containsExactly("bob", "broadcast");
        assertThat(low).isNotEqualTo(high);
        Http.Response text = postEvent(guarded(with(envelope("C2", "x"), "message", null), "body", "fallback"));
        assertThat(text.status()).isEqualTo(400);
        Http.Response reaction = postEvent(guarded(with(with(envelope("C2", "x"), "message", null), "reaction",
                Map.of("emoji", "+1"))));
        assertThat(reaction.status()).as(reaction.text()).isEqualTo(201);
        assertThat(JsonLists.nodes(reaction.json().get("messages")).get(0).get("body").asText())
                .isEqualTo("Channel event");
    }

    @Test
    void aChannelWithoutABindingIs409AndSendsNothing() {
        start();
        registerBridge();
        bound(Map.of("conversationId", "C9", "target", "alice"));

        assertRefused(postEvent(guarded(envelope("C1", "hello"))), 409, "channel has no binding", null);
        assertThat(relay.events("message.new")).isEmpty();
    }

    @Test
    void theEnvelopeIsCheckedWithTheTypeScriptTexts() {
        start();
        registerBridge();
        bound(Map.of("target", "alice"));
        Map<String, Object> good = envelope("C1", "hi");

        assertRefused(postEvent(guarded(with(good, "schema", null))), 400, "payload.schema is required", "payload.schema");
        assertRefused(postEvent(guarded(with(good, "schema", "v0"))), 400,
                "payload.schema must be agent-relay.channel.v1", "payload.schema");
        assertRefused(postEvent(guarded(with(good, "channel", "slack"))), 400, "payload.channel must be an object",
                "payload.channel");
        assertRefused(postEvent(guarded(with(good, "channel", Map.of("provider", "telegram", "accountId", "T1",
                "agentId", CHANNEL)))), 400, "payload.channel does not match channel identity", "payload.channel");
        assertRefused(postEvent(guarded(with(good, "channel", Map.of("provider", "slack", "accountId", "T1")))), 400,
                "payload.channel.agentId is required", "payload.channel.agentId");
        assertRefused(postEvent(guarded(with(good, "direction", "sideways"))), 400,
                "payload.direction must be inbound or outbound", "payload.direction");
        assertRefused(postEvent(guarded(with(good, "conversation", Map.of("id", "C1")))), 400,
                "payload.conversation.type is required", "payload.conversation.type");
        assertRefused(postEvent(guarded(with(good, "conversation", Map.of("id", "c".repeat(301), "type", "dm")))), 400,
                "payload.conversation.id must be at most 300 characters", "payload.conversation.id");
        assertRefused(postEvent(guarded(with(good, "actor", List.of()))), 400, "payload.actor must be an object",
                "payload.actor");
        assertRefused(postEvent(guarded(with(good, "event", "message.created"))), 400, "payload.event must be an object",
                "payload.event");
        assertRefused(postEvent(guarded(with(good, "event", Map.of("type", 3)))), 400,
                "payload.event.type must be a string", "payload.event.type");
        assertRefused(postEvent(guarded(with(good, "attachments", Map.of()))), 400, "payload.attachments must be an array",
                "payload.attachments");
        assertRefused(postEvent(guarded(with(good, "attachments", List.of(Map.of("ref", Map.of("type", "ftp", "id", "x")))))),
                400, "payload.attachments[0].ref.type must be one of relay-blob, external-url, channel-file",
                "payload.attachments[0].ref.type");
        assertRefused(postEvent(guarded(with(good, "attachments", List.of(Map.of("ref", Map.of("type", "relay-blob",
                "id", "b1")), Map.of("ref", Map.of("type", "external-url")))))), 400,
                "payload.attachments[1].ref.url is required", "payload.attachments[1].ref.url");
        assertRefused(postEvent(guarded(with(good, "attachments", List.of("x")))), 400,
                "payload.attachments[0] must be an object", "payload.attachments[0]");
        assertRefused(postEvent(guarded(with(good, "message", null))), 400,
                "channel payload must include message, attachments, reaction, interaction, or activity", "payload");
        assertRefused(postEvent(guarded(with(good, "activity", Map.of("kind", "typing")))), 400,
                "channel activity must use /api/channels/:id/activities", "payload.activity");
        assertRefused(postEvent(guarded(with(good, "event", Map.of("type", "typing.started")))), 400,
                "ephemeral channel activity must use /api/channels/:id/activities", "payload.event.type");
        assertRefused(postEvent(guarded(good, "idempotencyKey", "k".repeat(241))), 400,
                "idempotencyKey must be at most 240 characters", "idempotencyKey");
        assertRefused(http.post("/api/channels/" + CHANNEL + "/events", "[1]"), 400,
                "JSON object body required", null);
        assertThat(relay.events("message.new")).isEmpty();

        Map<String, Object> flat = new HashMap<>(with(good, "attachments", List.of(Map.of("ref",
                Map.of("type", "external-url", "url", "https://example.com/a.png")))));
        flat.put("instanceId", "bridge-1");
        flat.put("epoch", 1);
        Http.Response unwrapped = postEvent(flat);
        assertThat(unwrapped.status()).as("the body itself is the envelope when it has no payload object: "
                + unwrapped.text()).isEqualTo(201);
        Http.Response longKey = postEvent(guarded(good, "idempotencyKey", "k".repeat(240)));
        assertThat(longKey.status()).as(longKey.text()).isEqualTo(201);
        assertThat(postEvent(guarded(good, "idempotencyKey", "k".repeat(240))).status()).isEqualTo(200);
    }

    @Test
    void activityIsStreamedLiveAndNeverStoredAsAMessage() throws Exception {
        start();
        registerBridge();
        relay.register("alice");
        Map<String, Object> typing = with(with(envelope("C1", "x"), "message", null), "event",
                Map.of("type", "typing.started"));
        typing.put("activity", Map.of("state", "typing"));

        try (SseClient alice = SseClient.open(relay.url(), "/api/events/stream?agentId=alice&types=channel.activity",
                Map.of())) {
            Http.Response accepted = postActivity(guarded(typing));

            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            assertThat(accepted.json().get("ok").asBoolean()).isTrue();
            JsonNode activity = accepted.json().get("activity");
            assertThat(activity.get("channelId").asText()).isEqualTo(CHANNEL);
            assertThat(activity.get("conversationId").asText()).isEqualTo("C1");
            assertThat(activity.get("payload").get("event").get("type").asText()).isEqualTo("typing.started");
            SseClient.Frame frame = alice.nextEvent(WAIT);
            assertThat(frame.event()).isEqualTo("channel.activity");
            assertThat(frame.data().get("data").get("channelId").asText()).isEqualTo(CHANNEL);
            assertThat(frame.data().get("data").get("createdAt").asLong()).isEqualTo(activity.get("createdAt").asLong());
            assertThat(frame.data().get("scope").get("channel").asText()).isEqualTo(CHANNEL);
        }
        Map<String, Object> presence = with(envelope("C1", "x"), "event", Map.of("type", "presence.updated"));
        assertThat(postActivity(guarded(presence)).status()).as("an ephemeral type alone will do").isEqualTo(202);
        assertRefused(postActivity(guarded(envelope("C1", "a message"))), 400,
                "channel activity payload must include an ephemeral event type or activity object", "payload.event.type");
        assertRefused(postActivity(guarded(with(envelope("C1", "x"), "schema", "v2"))), 400,
                "payload.schema must be agent-relay.channel.v1", "payload.schema");
        assertThat(http.get("/api/messages").json().get("messages")).isEmpty();
        assertThat(relay.events("channel.activity")).hasSize(2);
    }

    @Test
    void anEventRoutedToAPolicyOrAPoolWaitsForItsAgentAndIsThenDeliveredToIt() {
        start();
        registerBridge();
        bound(Map.of("target", "tag:support", "priority", 5));
        bound(Map.of("target", "policy:oncall", "mode", "broadcast"));
        bound(Map.of("conversationId", "C7", "target", "pool:reviewers"));

        Http.Response both = postEvent(guarded(envelope("C1", "to a policy too")));
        Http.Response pooled = postEvent(guarded(envelope("C7", "to a pool")));

        assertThat(both.status()).as(both.text()).isEqualTo(201);
        assertThat(JsonLists.nodes(both.json().get("messages"))).extracting(m -> m.get("to").asText() + " "
                + m.get("deliveryStatus").asText()).containsExactly("tag:support delivered", "policy:oncall queued");
        assertThat(pooled.status()).isEqualTo(201);
        assertThat(pooled.json().get("messages").get(0).get("deliveryStatus").asText()).isEqualTo("queued");
        assertThat(relay.events("message.queued")).hasSize(2);

        relay.register("oncall-1", Map.of("meta", Map.of("policyName", "oncall")));
        relay.register("reviewer-1", Map.of("meta", Map.of("pool", "reviewers")));

        JsonNode oncall = http.get("/api/messages?for=oncall-1").json().get("messages");
        JsonNode reviewer = http.get("/api/messages?for=reviewer-1").json().get("messages");
        assertThat(JsonLists.nodes(oncall)).extracting(m -> m.get("body").asText()).containsExactly("to a policy too");
        assertThat(oncall.get(0).get("kind").asText()).isEqualTo("channel.event");
        assertThat(JsonLists.nodes(reviewer)).extracting(m -> m.get("body").asText()).containsExactly("to a pool");
        assertThat(http.get("/api/messages/queued?for=policy:oncall").json()).isEmpty();
    }

    @Test
    void hostileTextIsA400NamingItsFieldNeverA500() {
        start();
        registerBridge();
        bound(Map.of("target", "alice"));

        assertRefused(bind(Map.of("conversationId", "a\0b", "target", "bob")), 400,
                "conversationId must not hold the NUL character (\\u0000)", "conversationId");
        assertRefused(http.post("/api/channel-bindings", "{\"channelId\":\"\\ud800\",\"target\":\"bob\","
                + "\"instanceId\":\"bridge-1\"}"), 400,
                "channelId is not valid Unicode (it holds a lone surrogate)", "channelId");
        assertRefused(bind(Map.of("target", "bo\0b")), 400, "target must not hold the NUL character (\\u0000)", "target");
        assertRefused(postEvent(guarded(envelope("C\0", "x"))), 400,
                "payload must not hold the NUL character (\\u0000)", "payload");
        assertRefused(postEvent(guarded(envelope("C1", "x"), "conversationId", 5)), 400, "conversationId must be a string",
                "conversationId");
        assertRefused(http.get("/api/channel-bindings?channelId=a%00b"), 400,
                "channelId must not hold the NUL character (%00)", "channelId");
        assertThat(http.post("/api/channels/a%00b/events", guarded(envelope("C1", "x"))).status()).isEqualTo(400);
        assertThat(http.post("/api/channels/" + "x".repeat(300) + "/events", guarded(envelope("C1", "x"))).status())
                .isEqualTo(404);
        assertThat(JsonLists.nodes(http.get("/api/channel-bindings").json())).hasSize(1);
        assertThat(relay.events("message.new")).isEmpty();
    }

    @Test
    void racingBindsOfOnePairMakeOneBindingAndNo500() throws Exception {
        start();
        registerBridge();
        int racers = 8;
        List<Future<Http.Response>> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return bind(Map.of("conversationId", "C1", "target", "alice", "priority", n));
                }));
            }
            go.countDown();
            for (Future<Http.Response> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(201);
            }
        }
        assertThat(JsonLists.nodes(http.get("/api/channel-bindings?channelId=" + CHANNEL).json())).hasSize(1);
    }

    @Test
    void anIntegrationEventWithoutTargetTakesItsChannelsFirstBinding() {
        start(Integrations.of().add("monitor", MONITOR_TOKEN, List.of("alice", "tag:ops"), List.of("alerts", "ops", "empty"))
                .env());
        relay.register("alerts", Map.of("kind", "channel", "instanceId", "a-1"));
        relay.register("ops", Map.of("kind", "channel", "instanceId", "o-1"));
        relay.register("alice");
        Http admin = relay.http();
        assertThat(admin.post("/api/channel-bindings", Map.of("channelId", "alerts", "target", "alice",
                "instanceId", "a-1")).status()).isEqualTo(201);
        assertThat(admin.post("/api/channel-bindings", Map.of("channelId", "alerts", "target", "tag:ops",
                "conversationId", "x", "priority", 100, "instanceId", "a-1")).status()).isEqualTo(201);
        assertThat(admin.post("/api/channel-bindings", Map.of("channelId", "ops", "target", "tag:ops",
                "instanceId", "o-1")).status()).isEqualTo(201);
        Http monitor = relay.http().with("Authorization", "Bearer " + MONITOR_TOKEN);

        Http.Response raised = monitor.post("/api/integrations/events", Map.of("channel", "alerts", "dedupeKey", "k2",
                "title", "no target"));
        assertThat(raised.status()).as(raised.text()).isEqualTo(201);
        assertThat(raised.json().get("task").get("target").asText()).isEqualTo("alice");

        assertRefused(monitor.post("/api/integrations/events", Map.of("channel", "ops", "title", "t")), 400,
                "channel ops binding resolves to tag:ops; integration channel targets must resolve to one backend agent",
                "target");
        assertRefused(monitor.post("/api/integrations/events", Map.of("channel", "empty", "title", "t")), 400,
                "target is required (channel empty has no binding)", "target");
        assertRefused(monitor.post("/api/integrations/events", Map.of("title", "t")), 400, "target is required",
                "target");
    }
}
