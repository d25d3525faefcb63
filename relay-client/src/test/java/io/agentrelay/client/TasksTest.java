package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.Severity;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tasks} against a real relay with an integration that raises the tasks. */
class TasksTest {
    static final String TOKEN = "monitor-token-0123456789";

    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", TOKEN, List.of("tag:ops", "alice"), List.of("alerts", "builds"))
                .env(Map.of("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "1000")));
        client = RelayClient.connect(relay.url(), null);
        client.agents().register(Registration.builder("alice", "Alice").tags("ops").build());
        client.agents().register(Registration.builder("bob", "Bob").tags("ops").build());
        client.agents().register(Registration.builder("carol", "Carol").build());
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    /** Raises a task as the integration would: an event posted with the integration's token. */
    private long raise(String target, String channel, String title) {
        Map<String, Object> event = new HashMap<>();
        event.put("target", target);
        event.put("title", title);
        event.put("severity", "critical");
        event.put("metadata", Map.of("host", "db-1"));
        if (channel != null) {
            event.put("channel", channel);
        }
        return relay.raiseTask(TOKEN, event);
    }

    @Test
    void listingReturnsTypedTasksNewestFirstAndFilters() {
        long disk = raise("tag:ops", "alerts", "Disk almost full");
        long build = raise("alice", "builds", "Build failed");
        long cpu = raise("tag:ops", null, "CPU hot");
        client.tasks().claim(cpu, "bob");

        List<Task> all = client.tasks().list();
        assertThat(all).extracting(Task::id).containsExactly(cpu, build, disk);
        Task first = all.get(2);
        assertThat(first.title()).isEqualTo("Disk almost full");
        assertThat(first.integration()).isEqualTo("monitor");
        assertThat(first.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(first.metadata()).containsEntry("host", "db-1");
        assertThat(first.status()).isEqualTo(TaskStatus.OPEN);
        assertThat(first.messageId()).isNotNull();

        Tasks tasks = client.tasks();
        assertThat(tasks.list(TaskFilter.ALL.withStatus(TaskStatus.OPEN))).extracting(Task::id).containsExactly(build, disk);
        assertThat(tasks.list(TaskFilter.ALL.withTarget("TAG:ops"))).extracting(Task::id).containsExactly(cpu, disk);
        assertThat(tasks.list(TaskFilter.ALL.withChannel("builds"))).extracting(Task::id).containsExactly(build);
        assertThat(tasks.list(TaskFilter.ALL.withLimit(1))).extracting(Task::id).containsExactly(cpu);
        assertThat(tasks.list(TaskFilter.ALL.withBefore(cpu).withLimit(1))).extracting(Task::id).containsExactly(build);
        assertThat(tasks.list(TaskFilter.ALL.withIntegration("nobody"))).isEmpty();
        assertThatThrownBy(() -> tasks.list(TaskFilter.ALL.withLimit(501)))
                .isInstanceOfSatisfying(RelayException.InvalidInput.class, e -> assertThat(e.field()).isEqualTo("limit"));
    }

    @Test
    void anAgentClaimsReportsProgressAndFinishesATaskWhoseHistoryRecordsEveryStep() {
        long id = raise("tag:ops", "alerts", "Disk almost full");

        Task claimed = client.tasks().claim(id, "alice");
        assertThat(claimed.status()).isEqualTo(TaskStatus.CLAIMED);
        assertThat(claimed.claimedBy()).isEqualTo("alice");

        Task working = client.tasks().updateStatus(id, "alice", TaskStatus.IN_PROGRESS, "cleaning /var/log", null);
        assertThat(working.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(working.progress()).isEqualTo("cleaning /var/log");
        Task done = client.tasks().updateStatus(id, "alice", TaskStatus.DONE, null, "freed 40 GB");
        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(done.progress()).as("kept when not given").isEqualTo("cleaning /var/log");
        assertThat(done.result()).isEqualTo("freed 40 GB");
        assertThat(done.closedAt()).isNotNull();

        TaskDetail detail = client.tasks().get(id);
        assertThat(detail.task()).isEqualTo(done);
        assertThat(detail.events()).extracting(TaskEvent::kind).containsExactly(TaskEvent.Kind.CREATED,
                TaskEvent.Kind.CLAIMED, TaskEvent.Kind.STATUS, TaskEvent.Kind.STATUS);
        TaskEvent last = detail.events().get(3);
        assertThat(last.agentId()).isEqualTo("alice");
        assertThat(last.from()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(last.to()).isEqualTo(TaskStatus.DONE);
        assertThat(last.taskId()).isEqualTo(id);
        assertThat(last.eventId()).isPositive();
    }

    @Test
    void aSecondClaimIsAConflictNamingTheHolder() {
        long id = raise("tag:ops", null, "CPU hot");
        client.tasks().claim(id, "alice");

        assertThatThrownBy(() -> client.tasks().claim(id, "bob"))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> {
                    assertThat(e.claimedBy()).isEqualTo("alice");
                    assertThat(e.getMessage()).isEqualTo("task " + id + " is already claimed by alice");
                });
        assertThatThrownBy(() -> client.tasks().updateStatus(id, "bob", TaskStatus.DONE))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> assertThat(e.claimedBy()).isEqualTo("alice"));
        assertThat(client.tasks().get(id).task().claimedBy()).isEqualTo("alice");
    }

    @Test
    void anIllegalTransitionIsAConflictThatChangesNothing() {
        long id = raise("tag:ops", null, "CPU hot");

        assertThatThrownBy(() -> client.tasks().updateStatus(id, "alice", TaskStatus.DONE))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("task " + id + " cannot go from open to done");
                    assertThat(e.body().path("allowed")).extracting(n -> n.asText()).contains("claimed", "canceled");
                });
        client.tasks().claim(id, "alice");
        client.tasks().updateStatus(id, "alice", TaskStatus.FAILED, null, "could not reproduce");
        assertThatThrownBy(() -> client.tasks().updateStatus(id, "alice", TaskStatus.IN_PROGRESS))
                .isInstanceOf(RelayException.Conflict.class).hasMessageContaining("cannot go from failed to in_progress");
        assertThatThrownBy(() -> client.tasks().claim(id, "bob")).isInstanceOf(RelayException.Conflict.class);
        assertThat(client.tasks().get(id).task().status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void unknownTasksAndAgentsAreNotFoundAndATargetThatDoesNotReachTheAgentIsForbidden() {
        long forAlice = raise("alice", null, "Build failed");

        assertThatThrownBy(() -> client.tasks().get(999)).isInstanceOfSatisfying(RelayException.NotFound.class,
                e -> assertThat(e.getMessage()).contains("999"));
        assertThatThrownBy(() -> client.tasks().claim(999, "alice")).isInstanceOf(RelayException.NotFound.class);
        assertThatThrownBy(() -> client.tasks().claim(forAlice, "nobody")).isInstanceOf(RelayException.NotFound.class);
        assertThatThrownBy(() -> client.tasks().claim(forAlice, "carol")).isInstanceOf(RelayException.Forbidden.class);
    }
}
