package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.PolicyStatus;
import io.agentrelay.api.PolicyView;
import io.agentrelay.api.Provider;
import io.agentrelay.api.SpawnPolicy;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Policies} against a real relay: a policy written, started, run by its agent, stopped and deleted. */
class PoliciesTest {
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

    private static SpawnPolicy policy() {
        return new SpawnPolicy(null, "build-1", Provider.CLAUDE, "/srv/work/api", "api fixer", List.of("backend"),
                List.of(), ApprovalMode.READ_ONLY, List.of(), "fix it", "fixers");
    }

    @Test
    void aPolicyIsWrittenReadListedAndItsAgentStartedAndStopped() {
        client.orchestrators().register(OrchestratorRegistration.of("build-1", "h", "/srv/work"));

        ConfigEntry entry = client.policies().put("api-fixer", policy(), "ops");
        assertThat(entry.version()).isEqualTo(1);
        assertThat(entry.updatedBy()).isEqualTo("ops");
        assertThat(client.policies().get("api-fixer")).isEqualTo(entry);
        SpawnPolicy stored = new SpawnPolicy("api-fixer", "build-1", Provider.CLAUDE, "/srv/work/api", "api fixer",
                List.of("backend"), List.of(), ApprovalMode.READ_ONLY, List.of(), "fix it", "fixers");
        PolicyView view = client.policies().status("api-fixer");
        assertThat(view.policy()).isEqualTo(stored);
        assertThat(view.state().status()).isEqualTo(PolicyStatus.STOPPED);
        assertThat(client.policies().list()).containsExactly(view);

        Command spawn = client.policies().start("api-fixer");
        assertThat(spawn.type()).isEqualTo(CommandType.SPAWN);
        assertThat(spawn.target()).isEqualTo("orchestrator-build-1");
        String requestId = (String) spawn.params().get("spawnRequestId");
        assertThat(client.policies().status("api-fixer").state().status()).isEqualTo(PolicyStatus.STARTING);
        assertThatThrownBy(() -> client.policies().start("api-fixer"))
                .isInstanceOf(RelayException.Conflict.class).hasMessage("spawn policy is already running");

        relay.register("build-1-claude-1", Map.of("meta", Map.of("policyName", "api-fixer", "spawnRequestId", requestId)));
        PolicyView running = client.policies().status("api-fixer");
        assertThat(running.state().status()).isEqualTo(PolicyStatus.RUNNING);
        assertThat(running.state().agentId()).isEqualTo("build-1-claude-1");

        Command restart = client.policies().restart("api-fixer");
        assertThat(restart.type()).isEqualTo(CommandType.RESTART);
        assertThat(client.policies().status("api-fixer").state().restartCount()).isEqualTo(1);

        Command shutdown = client.policies().stop("api-fixer");
        assertThat(shutdown.type()).isEqualTo(CommandType.SHUTDOWN);
        client.commands().move(shutdown.id(), "orchestrator-build-1", CommandStatus.ACCEPTED);
        client.commands().move(shutdown.id(), "orchestrator-build-1", CommandStatus.RUNNING);
        client.commands().move(shutdown.id(), "orchestrator-build-1", CommandStatus.SUCCEEDED);
        assertThat(client.policies().status("api-fixer").state().status()).isEqualTo(PolicyStatus.STOPPED);

        Command deleted = client.policies().delete("api-fixer", "ops");
        assertThat(deleted.params()).containsEntry("reason", "policy-deleted");
        assertThat(client.policies().list()).isEmpty();
        assertThatThrownBy(() -> client.policies().get("api-fixer"))
                .isInstanceOf(RelayException.NotFound.class).hasMessage("spawn policy not found");
    }

    @Test
    void aBadPolicyIsRefusedNamingTheField() {
        SpawnPolicy relative = new SpawnPolicy(null, "build-1", Provider.CODEX, "work", null, null, null, null, null,
                null, null);
        assertThatThrownBy(() -> client.policies().put("p", relative))
                .isInstanceOf(RelayException.InvalidInput.class)
                .hasMessage("value.cwd must be an absolute POSIX path (starting with /)");
    }
}
