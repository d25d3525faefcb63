package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.ChannelSummary;
import io.agentrelay.api.Message;
import io.agentrelay.api.RelayEvent;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Channels} against a real relay: a bridge registers, binds, posts an event and activity. */
class ChannelsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;
    SessionGuard bridge;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        client = RelayClient.connect(relay.url(), null);
        Registered registered = client.agents().register(Registration.builder("web:site", "Web chat")
                .kind(AgentKind.CHANNEL).tags("channel:web").instanceId("bridge-1").build());
        bridge = SessionGuard.of(registered.agent());
        client.agents().register(Registration.builder("alice", "Alice").tags("support").build());
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    private static Map<String, Object> envelope(String eventType, String text) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("schema", "agent-relay.channel.v1");
        payload.put("channel", Map.of("provider", "web", "accountId", "site", "agentId", "web:site"));
        payload.put("direction", "inbound");
        payload.put("conversation", Map.of("id", "room-1", "type", "dm"));
        payload.put("actor", Map.of("id", "visitor-9", "kind", "user"));
        payload.put("event", Map.of("type", eventType));
        if (text != null) {
            payload.put("message", Map.of("text", text));
        } else {
            payload.put("activity", Map.of("state", "typing"));
        }
        return payload;
    }

    @Test
    void aBridgeBindsItsChannelAndItsEventsReachTheBoundAgents() {
        Channels channels = client.channels();
        assertThat(channels.list()).extracting(ChannelSummary::id, ChannelSummary::type, ChannelSummary::accountId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web:site", "web", "site"));

        ChannelBinding binding = channels.bind("web:site", null, "tag:support", null, 2L, bridge);
        assertThat(binding.mode()).isEqualTo(ChannelBinding.Mode.EXCLUSIVE);
        assertThat(binding.target().type()).isEqualTo(ChannelBinding.TargetType.TAG);
        assertThat(binding.priority()).isEqualTo(2L);
        assertThat(channels.bindings("web:site")).containsExactly(binding);
        assertThat(channels.bindings()).containsExactly(binding);

        Channels.Posted posted = channels.postEvent("web:site", envelope("message.created", "hello"), "m-1", bridge);
        assertThat(posted.created()).isTrue();
        assertThat(posted.bindings()).containsExactly(binding);
        assertThat(posted.messages()).extracting(Message::to, Message::body)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tag:support", "hello"));
        assertThat(client.messages().inbox("alice", InboxQuery.ALL).messages()).extracting(Message::body)
                .containsExactly("hello");
        Channels.Posted again = channels.postEvent("web:site", envelope("message.created", "hello"), "m-1", bridge);
        assertThat(again.created()).isFalse();

        assertThatThrownBy(() -> channels.postEvent("web:site", envelope("message.created", "x"), null,
                new SessionGuard("bridge-0", null))).isInstanceOf(RelayException.Conflict.class);
        channels.unbind(binding.id());
        assertThat(channels.bindings("web:site")).isEmpty();
        assertThatThrownBy(() -> channels.unbind(binding.id())).isInstanceOf(RelayException.NotFound.class);
    }

    @Test
    void activityArrivesOnALiveSubscriptionAndIsNotAMessage() throws Exception {
        BlockingQueue<RelayEvent> seen = new LinkedBlockingQueue<>();
        try (LiveStream stream = client.events().subscribe(
                EventFilter.forAgent("alice").withTypes(EventFilter.CHANNEL_ACTIVITY), seen::add)) {
            Channels.Activity activity = client.channels().postActivity("web:site",
                    envelope("typing.started", null), bridge);

            assertThat(activity.channelId()).isEqualTo("web:site");
            assertThat(activity.conversationId()).isEqualTo("room-1");
            RelayEvent event = seen.poll(10, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.type()).isEqualTo("channel.activity");
            assertThat(event.scope().channel()).isEqualTo("web:site");
            assertThat(stream.connected()).isTrue();
        }
        assertThat(client.messages().recent(InboxQuery.ALL).size()).isZero();
    }
}
