package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Orchestrators} against a real relay: what an orchestrator process calls, and what a dashboard asks of it. */
class OrchestratorsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", "30000"));
        client = RelayClient.connect(relay.url(), null);
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    @Test
    void anOrchestratorRegistersHeartbeatsAndReportsItsSessions() {
        Orchestrator registered = client.orchestrators().register(OrchestratorRegistration.of("build-1", "build-1.example",
                "/srv/work").withProviders(Provider.CODEX).withEnvKeys("OPENAI_API_KEY").withMeta(Map.of("slots", 2))
                .withApiUrl("http://10.0.0.5:4860"));

        assertThat(registered.id()).isEqualTo("build-1");
        assertThat(registered.providers()).containsExactly(Provider.CODEX);
        assertThat(registered.envKeys()).containsExactly("OPENAI_API_KEY");
        assertThat(registered.meta()).containsEntry("slots", 2);
        assertThat(registered.agentId()).isEqualTo("orchestrator-build-1");
        assertThat(registered.status()).isEqualTo(OrchestratorStatus.ONLINE);
        assertThat(client.agents().get("orchestrator-build-1").kind()).isEqualTo(AgentKind.ORCHESTRATOR);

        ManagedAgent session = new ManagedAgent("build-1-codex-1", Provider.CODEX, "relay-1", "/srv/work/api", "api",
                ApprovalMode.OPEN, 4242L, 1_000);
        Orchestrator reported = client.orchestrators().reportAgents("build-1", List.of(session));
        assertThat(reported.agents()).containsExactly(session);
        assertThat(client.orchestrators().get("build-1")).isEqualTo(reported);
        assertThat(client.orchestrators().list()).containsExactly(reported);

        relay.clock().advance(Duration.ofSeconds(31));
        relay.reap();
        assertThat(client.orchestrators().get("build-1").status()).isEqualTo(OrchestratorStatus.OFFLINE);
        client.orchestrators().heartbeat("build-1");
        assertThat(client.orchestrators().get("build-1").status()).isEqualTo(OrchestratorStatus.ONLINE);

        client.orchestrators().delete("build-1");
        assertThatThrownBy(() -> client.orchestrators().heartbeat("build-1"))
                .isInstanceOf(RelayException.NotFound.class).hasMessage("orchestrator not found");
    }

    @Test
    void spawnAndActionsReturnTheCommandTheRelayMade() {
        client.orchestrators().register(OrchestratorRegistration.of("build-1", "h", "/srv/work").withAgentId("inbox-1"));

        Command spawn = client.orchestrators().spawn("build-1", SpawnRequest.of(Provider.CLAUDE).withCwd("/srv/work/api")
                .withLabel("api fixer").withApprovalMode(ApprovalMode.READ_ONLY).withPrompt("Fix it").withTags("backend")
                .withCapabilities("java").withProviderArgs("--model", "opus").withPolicyName("pool")
                .withSpawnRequestId("req-1").withRequestedBy("ci"));
        Command restart = client.orchestrators().act("build-1", OrchestratorAction.restart("build-1-claude-1")
                .withTmuxSession("relay-1").withReason("stuck"));
        Command shutdown = client.orchestrators().act("build-1", OrchestratorAction.shutdown(null));

        assertThat(spawn.type()).isEqualTo(CommandType.SPAWN);
        assertThat(spawn.status()).isEqualTo(CommandStatus.PENDING);
        assertThat(spawn.target()).isEqualTo("inbox-1");
        assertThat(spawn.correlationId()).isEqualTo("req-1");
        assertThat(spawn.params()).containsEntry("cwd", "/srv/work/api").containsEntry("approvalMode", "read-only")
                .containsEntry("providerArgs", List.of("--model", "opus")).containsEntry("requestedBy", "ci");
        assertThat(restart.type()).isEqualTo(CommandType.RESTART);
        assertThat(restart.params()).containsEntry("agentId", "build-1-claude-1").containsEntry("reason", "stuck");
        assertThat(shutdown.type()).isEqualTo(CommandType.SHUTDOWN);
        assertThat(shutdown.params()).doesNotContainKey("agentId");

        assertThatThrownBy(() -> client.orchestrators().spawn("build-1", SpawnRequest.of(Provider.CLAUDE).withCwd("/etc")))
                .isInstanceOfSatisfying(RelayException.InvalidInput.class, e -> {
                    assertThat(e.field()).isEqualTo("cwd");
                    assertThat(e.getMessage()).isEqualTo("cwd must be within orchestrator base directory: /srv/work");
                });
        assertThatThrownBy(() -> client.orchestrators().spawn("nope", SpawnRequest.of(Provider.CLAUDE)))
                .isInstanceOf(RelayException.NotFound.class);
        relay.clock().advance(Duration.ofSeconds(31));
        relay.reap();
        assertThatThrownBy(() -> client.orchestrators().spawn("build-1", SpawnRequest.of(Provider.CLAUDE)))
                .isInstanceOf(RelayException.Conflict.class).hasMessage("orchestrator is offline");
    }
}
