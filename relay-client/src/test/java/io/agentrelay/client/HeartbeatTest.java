package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatTest {
    // Long enough that the loop never beats during a test: beats are driven by hand with beat().
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        client = RelayClient.connect(relay.url(), null);
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void keepAliveRegistersAtOnceAndCloseMarksTheAgentOffline() {
        Heartbeat heartbeat = client.agents().keepAlive(Registration.builder("alice", "Alice").instanceId("p1").build(), NEVER);

        assertThat(heartbeat.registered()).isTrue();
        assertThat(client.agents().get("alice").status()).isEqualTo(AgentStatus.ONLINE);

        heartbeat.close();

        assertThat(client.agents().get("alice").status()).isEqualTo(AgentStatus.OFFLINE);
    }

    @Test
    void aBeatBringsAStaleAgentBackAndReRegistersAPrunedOne() {
        Heartbeat heartbeat = client.agents().keepAlive(Registration.builder("alice", "Alice").tags("review").build(), NEVER);
        client.agents().patch("alice", AgentPatch.NONE.withStatus(AgentStatus.STALE));

        assertThat(heartbeat.beat()).isTrue();
        assertThat(client.agents().get("alice").status()).isEqualTo(AgentStatus.ONLINE);

        client.agents().delete("alice");
        assertThat(heartbeat.beat()).isTrue();
        assertThat(client.agents().get("alice").tags()).containsExactly("review");
    }

    @Test
    void aNewerProcessWithTheSameIdSupersedesTheOldLoopWhichThenLeavesTheAgentAlone() {
        Heartbeat old = client.agents().keepAlive(Registration.builder("alice", "Alice").instanceId("old").build(), NEVER);
        client.agents().register(Registration.builder("alice", "Alice").instanceId("new").build());

        assertThat(old.beat()).isFalse();
        assertThat(old.superseded()).isTrue();
        old.close();

        assertThat(client.agents().get("alice").status()).isEqualTo(AgentStatus.ONLINE);
        assertThat(client.agents().get("alice").instanceId()).isEqualTo("new");
    }

    @Test
    void anUnreachableRelayDoesNotFailKeepAliveWhichRegistersOnceTheRelayAnswers() throws Exception {
        int port = relay.server().port();
        relay.close();
        try (RelayClient early = RelayClient.connect("http://127.0.0.1:" + port, null)) {
            Heartbeat heartbeat = early.agents().keepAlive(Registration.builder("alice", "Alice").build(), NEVER);
            assertThat(heartbeat.registered()).isFalse();
            assertThat(heartbeat.lastError()).isInstanceOf(RelayException.Unavailable.class);

            relay = TestRelay.restart(relay.database(), relay.clock(), java.util.Map.of("PORT", Integer.toString(port)));
            assertThat(heartbeat.beat()).isTrue();
            assertThat(heartbeat.lastError()).isNull();
            assertThat(early.agents().get("alice").status()).isEqualTo(AgentStatus.ONLINE);
        }
    }

    @Test
    void theLoopBeatsOnItsOwn() throws Exception {
        client.agents().register(Registration.builder("alice", "Alice").build());
        Recorder statusChanges = new Recorder();
        try (LiveStream stream = client.events().subscribe(EventFilter.forAgent("alice").withTypes(EventFilter.AGENT_STATUS),
                statusChanges);
             Heartbeat heartbeat = client.agents().keepAlive(Registration.builder("alice", "Alice").build(), Duration.ofMillis(20))) {
            client.agents().patch("alice", AgentPatch.NONE.withStatus(AgentStatus.STALE));

            // The patch, then a beat of the loop turning the stale agent online again: an event each.
            assertThat(statusChanges.take(2)).extracting(e -> e.data().path("status").asText()).containsExactly("stale", "online");
            assertThat(heartbeat.superseded()).isFalse();
            assertThat(stream.failure()).isNull();
        }
    }
}
