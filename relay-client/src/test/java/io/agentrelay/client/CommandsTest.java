package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Commands} against a real relay, from the executor's side: follow, accept, report, finish. */
class CommandsTest {
    static final String INBOX = "orchestrator-build-1";

    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        client = RelayClient.connect(relay.url(), null);
        client.orchestrators().register(OrchestratorRegistration.of("build-1", "h", "/srv"));
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    private Command spawn() {
        return client.orchestrators().spawn("build-1", SpawnRequest.of(Provider.CLAUDE));
    }

    @Test
    void anExecutorFollowsItsCommandsLiveAndReportsOnThem() throws Exception {
        BlockingQueue<Command> seen = new LinkedBlockingQueue<>();
        try (LiveStream stream = client.commands().follow(INBOX, StreamOptions.DEFAULTS, seen::add)) {
            Command made = spawn();
            Command first = seen.poll(Recorder.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).isEqualTo(made);

            Command accepted = client.commands().move(made.id(), INBOX, CommandStatus.ACCEPTED);
            assertThat(accepted.claimedBy()).isEqualTo(INBOX);
            client.commands().report(made.id(), CommandReport.as(INBOX).withStatus(CommandStatus.RUNNING)
                    .withProgress("starting"));
            client.commands().report(made.id(), CommandReport.as(INBOX).withProgress("claude is up"));
            Command done = client.commands().report(made.id(), CommandReport.as(INBOX).withStatus(CommandStatus.SUCCEEDED)
                    .withResult(Map.of("tmuxSession", "relay-1", "pid", 4242)));

            List<Command> updates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                updates.add(seen.poll(Recorder.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(updates).extracting(Command::status).containsExactly(CommandStatus.ACCEPTED, CommandStatus.RUNNING,
                    CommandStatus.RUNNING, CommandStatus.SUCCEEDED);
            assertThat(updates.get(3)).isEqualTo(done);
            assertThat(done.result()).containsEntry("tmuxSession", "relay-1").containsEntry("pid", 4242);
            assertThat(done.progress()).isEqualTo("claude is up");
            assertThat(stream.lastEventId()).isPositive();
        }
    }

    @Test
    void commandsAreListedFilteredFetchedAndCanceled() {
        Command a = spawn();
        Command b = spawn();
        client.commands().move(b.id(), INBOX, CommandStatus.ACCEPTED);

        assertThat(client.commands().list()).extracting(Command::id).containsExactly(b.id(), a.id());
        assertThat(client.commands().list(CommandFilter.ALL.withTarget(INBOX).withStatus(CommandStatus.PENDING)))
                .extracting(Command::id).containsExactly(a.id());
        assertThat(client.commands().list(CommandFilter.ALL.withLimit(1))).extracting(Command::id).containsExactly(b.id());
        assertThat(client.commands().get(a.id())).isEqualTo(a);

        assertThat(client.commands().cancel(a.id()).status()).isEqualTo(CommandStatus.CANCELED);
        assertThatThrownBy(() -> client.commands().cancel(a.id())).isInstanceOf(RelayException.Conflict.class)
                .hasMessage("command " + a.id() + " is already canceled");
        assertThatThrownBy(() -> client.commands().move(b.id(), INBOX, CommandStatus.ACCEPTED))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e ->
                        assertThat(e.body().get("allowed").toString()).isEqualTo("[\"running\",\"failed\",\"canceled\"]"));
        assertThatThrownBy(() -> client.commands().move(b.id(), "someone-else", CommandStatus.RUNNING))
                .isInstanceOf(RelayException.Forbidden.class);
        assertThatThrownBy(() -> client.commands().get(9_999)).isInstanceOf(RelayException.NotFound.class);
    }
}
