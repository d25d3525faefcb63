package io.agentrelay.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.PolicyStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.api.SpawnPolicy;
import io.agentrelay.cli.Cli;
import io.agentrelay.client.OrchestratorAction;
import io.agentrelay.client.OrchestratorRegistration;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.SpawnRequest;
import io.agentrelay.server.testing.TestRelay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator end to end: a real relay, the daemon following its commands, and agents that
 * are real processes in a real tmux — each one this project's CLI registering itself with the
 * relay as the agent the orchestrator named, then staying up.
 */
@Tag("process")
class OrchestratorDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;
    Tmux tmux;
    Path base;
    Path state;
    Spawner spawner;
    OrchestratorDaemon daemon;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        TmuxAvailable.require();
        relay = TestRelay.start(dir.resolve("relay"));
        client = RelayClient.builder().url(relay.url()).build();
        base = Files.createDirectories(dir.resolve("base"));
        Files.createDirectories(base.resolve("project"));
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(base.resolve("way-out"), dir.resolve("outside"));
        state = dir.resolve("state");
        tmux = new Tmux("tmux", "agent-relay-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path launcher = Cli.launcher(Files.createDirectories(dir.resolve("bin")));
        // The "claude" of this host: registers as the agent the orchestrator named, then stays up.
        InstalledProvider claude = new InstalledProvider("claude", List.of("/bin/sh", "-c",
                LaunchScript.quote(launcher.toString()) + " register --name \"${AGENT_RELAY_LABEL:-agent}\" && exec sleep 600",
                "claude"), true, List.of());
        spawner = new Spawner(new Spawner.Settings("host1", base, relay.url(), null, Map.of("PATH", System.getenv("PATH"),
                "HOME", dir.toString()), List.of(), Map.of("claude", claude), state.resolve("scripts")), tmux, Clock.systemUTC());
        daemon = startDaemon();
    }

    private OrchestratorDaemon startDaemon() throws InterruptedException {
        OrchestratorDaemon started = new OrchestratorDaemon(client, OrchestratorRegistration.of("host1", "test-host", base.toString())
                .withProviders(Provider.CLAUDE), spawner, tmux, new SessionBook(state.resolve("sessions")),
                Duration.ofMillis(200), new PrintStream(log, true, StandardCharsets.UTF_8));
        started.start();
        return started;
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (tmux != null) {
            tmux.killServer();
        }
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private Command finished(Command command) throws InterruptedException {
        java.util.Set<CommandStatus> ended = java.util.EnumSet.of(CommandStatus.SUCCEEDED, CommandStatus.FAILED,
                CommandStatus.CANCELED, CommandStatus.EXPIRED);
        Awaits.condition(() -> ended.contains(client.commands().get(command.id()).status()), WAIT);
        return client.commands().get(command.id());
    }

    private void awaitRegistered(String agentId) throws InterruptedException {
        Awaits.condition(() -> client.agents().list().stream().anyMatch(agent -> agent.id().equals(agentId)), WAIT);
    }

    private List<ManagedAgent> reported() {
        return client.orchestrators().get("host1").agents();
    }

    @Test
    void aSpawnedAgentRegistersAsNamedIsReportedAndAShutdownEndsIt() throws Exception {
        Command spawn = client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE)
                .withCwd(base.resolve("project").toString()).withLabel("fixer").withPrompt("fix the build"));

        Command done = finished(spawn);
        assertThat(done.status()).as("%s\n%s", done, log).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(done.claimedBy()).isEqualTo(daemon.agentId());
        String agentId = (String) done.result().get("agentId");
        String session = (String) done.result().get("tmuxSession");
        awaitRegistered(agentId);
        assertThat(client.agents().get(agentId).name()).isEqualTo("fixer");
        assertThat(client.agents().get(agentId).meta()).as("the agent says who started it").containsEntry("orchestratorId", "host1");
        Awaits.condition(() -> reported().size() == 1, WAIT);
        ManagedAgent managed = reported().get(0);
        assertThat(managed.agentId()).isEqualTo(agentId);
        assertThat(managed.tmuxSession()).isEqualTo(session);
        assertThat(managed.cwd()).isEqualTo(base.resolve("project").toRealPath().toString());
        assertThat(managed.label()).isEqualTo("fixer");
        assertThat(managed.pid()).isNotNull();

        Command shutdown = finished(client.orchestrators().act("host1", OrchestratorAction.shutdown(agentId)));

        assertThat(shutdown.status()).as("%s\n%s", shutdown, log).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(tmux.has(session)).isFalse();
        assertThat(reported()).isEmpty();
    }

    @Test
    void aSpawnPolicysAgentRegistersAsThePolicysAndRunsUntilThePolicyStops() throws Exception {
        client.policies().put("fixer", new SpawnPolicy(null, "host1", Provider.CLAUDE, base.resolve("project").toString(),
                "policy fixer", List.of(), List.of(), null, List.of(), null, "fixers"));

        Command spawn = finished(client.policies().start("fixer"));

        assertThat(spawn.status()).as("%s\n%s", spawn, log).isEqualTo(CommandStatus.SUCCEEDED);
        String agentId = (String) spawn.result().get("agentId");
        String session = (String) spawn.result().get("tmuxSession");
        Awaits.condition(() -> client.policies().status("fixer").state().status() == PolicyStatus.RUNNING, WAIT);
        PolicyState running = client.policies().status("fixer").state();
        assertThat(running.agentId()).isEqualTo(agentId);
        assertThat(running.tmuxSession()).isEqualTo(session);
        assertThat(client.agents().get(agentId).meta()).as("what the agent's register carried")
                .containsEntry("policyName", "fixer").containsEntry("spawnRequestId", running.spawnRequestId())
                .as("a member of the policy's pool").containsEntry("pool", "fixers");

        Command shutdown = finished(client.policies().stop("fixer"));

        assertThat(shutdown.status()).as("%s\n%s", shutdown, log).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(client.policies().status("fixer").state().status()).isEqualTo(PolicyStatus.STOPPED);
        assertThat(tmux.has(session)).isFalse();
    }

    @Test
    void aPolicysStopReachesOnlyItsOwnSessions() throws Exception {
        Command other = finished(client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE).withLabel("other")));
        client.policies().put("idle", new SpawnPolicy(null, "host1", Provider.CLAUDE, null, null, List.of(), List.of(),
                null, List.of(), null, null));

        Command shutdown = finished(client.policies().stop("idle"));

        assertThat(shutdown.status()).as("%s\n%s", shutdown, log).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(shutdown.result().get("stopped")).isEqualTo(List.of());
        assertThat(tmux.has((String) other.result().get("tmuxSession"))).as("another's session stays").isTrue();
        assertThat(client.policies().status("idle").state().status()).isEqualTo(PolicyStatus.STOPPED);
    }

    @Test
    void aRestartKeepsTheAgentsIdAndRunsANewProcess() throws Exception {
        Command spawn = finished(client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE).withLabel("keeper")));
        String agentId = (String) spawn.result().get("agentId");
        long firstPid = ((Number) spawn.result().get("pid")).longValue();

        Command restart = finished(client.orchestrators().act("host1", OrchestratorAction.restart(agentId)));

        assertThat(restart.status()).as("%s\n%s", restart, log).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(restart.result().get("agentId")).isEqualTo(agentId);
        assertThat(((Number) restart.result().get("pid")).longValue()).isNotEqualTo(firstPid);
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        Awaits.condition(() -> reported().size() == 1 && reported().get(0).pid() != null
                && reported().get(0).pid() != firstPid, WAIT);
    }

    @Test
    void aHostRefusalFailsTheCommandWithTheReasonAndStartsNothing() throws Exception {
        // Inside the base folder by its name (so the relay takes it), outside by its real path.
        Command spawn = finished(client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE)
                .withCwd(base.resolve("way-out").toString())));

        assertThat(spawn.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(spawn.error()).startsWith("cwd must be within orchestrator base directory");
        assertThat(tmux.sessions()).isEmpty();
    }

    @Test
    void anAgentWhoseProgramEndsIsDroppedAndARestartedOrchestratorAdoptsTheOthers() throws Exception {
        Command first = finished(client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE).withLabel("stays")));
        Command second = finished(client.orchestrators().spawn("host1", SpawnRequest.of(Provider.CLAUDE).withLabel("ends")));
        String staying = (String) first.result().get("tmuxSession");
        Awaits.condition(() -> reported().size() == 2, WAIT);

        daemon.close();
        ProcessHandle.of(((Number) second.result().get("pid")).longValue()).ifPresent(ProcessHandle::destroy);
        Awaits.condition(() -> !tmux.running((String) second.result().get("tmuxSession")), WAIT);
        daemon = startDaemon();

        Awaits.condition(() -> reported().size() == 1, WAIT);
        assertThat(reported().get(0).tmuxSession()).isEqualTo(staying);
        assertThat(tmux.sessions()).containsExactly(staying);
        // And one that ends while the orchestrator runs is dropped at its next look.
        ProcessHandle.of(((Number) first.result().get("pid")).longValue()).ifPresent(ProcessHandle::destroy);
        Awaits.condition(() -> reported().isEmpty(), WAIT);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("session " + staying + " ended");
    }
}
