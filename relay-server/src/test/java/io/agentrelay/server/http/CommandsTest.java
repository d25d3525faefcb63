package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.server.commands.CommandMoves;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/commands}: the executor's moves along the lifecycle table, who may move a command,
 * racing executors, cancellation, expiry by the reaper, listing, and which streams carry them.
 */
class CommandsTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration COMMAND_TTL = Duration.ofMinutes(1);
    static final String EXECUTOR = "orchestrator-o1";

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        // Orchestrators and agents stay online however far the tests move the clock.
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_COMMAND_TTL_MS", Long.toString(COMMAND_TTL.toMillis()),
                "STALE_TTL_MS", Long.toString(Duration.ofDays(1).toMillis())));
        http = relay.http();
        relay.registerOrchestrator("o1", "/srv", Map.of());
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    /** A new pending spawn command for o1's inbox agent; its id. */
    private long newCommand() {
        Http.Response response = http.post("/api/orchestrators/o1/spawn", Map.of("provider", "claude"));
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        return response.json().get("command").get("id").asLong();
    }

    private Http.Response move(long id, String agentId, CommandStatus status) {
        return http.patch("/api/commands/" + id, Map.of("agentId", agentId, "status", status.wire()));
    }

    private JsonNode command(long id) {
        return http.get("/api/commands/" + id).json();
    }

    private static void refused(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void theExecutorTakesACommandThroughItsLifecycleWithProgressAndAResult() {
        long id = newCommand();

        relay.clock().advance(Duration.ofSeconds(1));
        JsonNode accepted = move(id, EXECUTOR, CommandStatus.ACCEPTED).json();
        assertThat(accepted.get("status").asText()).isEqualTo("accepted");
        assertThat(accepted.get("claimedBy").asText()).isEqualTo(EXECUTOR);
        assertThat(accepted.get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
        JsonNode running = http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "running",
                "progress", "starting tmux")).json();
        assertThat(running.get("progress").asText()).isEqualTo("starting tmux");
        Http.Response report = http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "progress", "claude is up"));
        assertThat(report.status()).as("a report in place while running: " + report.text()).isEqualTo(200);
        assertThat(report.json().get("status").asText()).isEqualTo("running");
        Http.Response done = http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "succeeded",
                "result", Map.of("agentId", "o1-claude-1", "tmuxSession", "relay-1", "pid", 4242)));

        assertThat(done.status()).isEqualTo(200);
        JsonNode finished = command(id);
        assertThat(finished).isEqualTo(done.json());
        assertThat(finished.get("status").asText()).isEqualTo("succeeded");
        assertThat(finished.get("progress").asText()).as("kept when a report leaves it out").isEqualTo("claude is up");
        assertThat(finished.get("result").get("tmuxSession").asText()).isEqualTo("relay-1");
        assertThat(finished.get("error").isNull()).isTrue();
        List<JsonNode> updates = relay.events("command.updated");
        assertThat(updates).extracting(e -> e.get("data").get("status").asText())
                .containsExactly("accepted", "running", "running", "succeeded");
        assertThat(updates).allSatisfy(e -> {
            assertThat(e.get("source").asText()).as("the reporting agent").isEqualTo(EXECUTOR);
            assertThat(e.get("subject").asText()).isEqualTo(Long.toString(id));
            assertThat(e.get("scope").get("target").asText()).isEqualTo(EXECUTOR);
        });
        Http.Response again = move(id, EXECUTOR, CommandStatus.RUNNING);
        refused(again, 409, "command " + id + " cannot go from succeeded to running");
        assertThat(again.json().get("allowed")).isEmpty();
    }

    /**
     * Every (from, to) pair of statuses: the pairs in the table are accepted and recorded, every
     * other pair is a 409 naming the allowed moves and leaving the command as it was.
     */
    @Test
    void everyMoveInTheTableIsAcceptedAndEveryOtherIsAConflict() {
        int legal = 0;
        for (CommandStatus from : CommandStatus.values()) {
            for (CommandStatus to : CommandStatus.values()) {
                long id = newCommand();
                bringTo(id, from);
                relay.clock().advance(Duration.ofSeconds(1));
                Http.Response response = http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", to.wire(),
                        "progress", from.wire() + "->" + to.wire(), "result", Map.of("ok", true), "error", "e"));
                JsonNode after = command(id);
                if (CommandMoves.allowed(from, to)) {
                    legal++;
                    assertThat(response.status()).as(from + " -> " + to + ": " + response.text()).isEqualTo(200);
                    assertThat(after.get("status").asText()).isEqualTo(to.wire());
                    assertThat(after.get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
                    assertThat(after.get("progress").asText()).isEqualTo(from.wire() + "->" + to.wire());
                    assertThat(after.get("result").get("ok").asBoolean()).isTrue();
                    assertThat(after.get("error").asText()).isEqualTo("e");
                } else {
                    assertThat(response.status()).as(from + " -> " + to + ": " + response.text()).isEqualTo(409);
                    assertThat(response.error()).isEqualTo("command " + id + " cannot go from " + from.wire() + " to "
                            + to.wire());
                    assertThat(response.json().get("status").asText()).isEqualTo(from.wire());
                    assertThat(JsonLists.strings(response.json().get("allowed")))
                            .containsExactlyElementsOf(CommandMoves.from(from).stream().map(CommandStatus::wire).toList());
                    assertThat(after.get("status").asText()).isEqualTo(from.wire());
                }
            }
        }
        assertThat(legal).as("rows of the documented table").isEqualTo(2 + 3 + 4);
    }

    private void bringTo(long id, CommandStatus status) {
        switch (status) {
            case PENDING -> { }
            case ACCEPTED -> assertThat(move(id, EXECUTOR, CommandStatus.ACCEPTED).status()).isEqualTo(200);
            case RUNNING, SUCCEEDED -> {
                bringTo(id, CommandStatus.ACCEPTED);
                assertThat(move(id, EXECUTOR, CommandStatus.RUNNING).status()).isEqualTo(200);
                if (status == CommandStatus.SUCCEEDED) {
                    assertThat(move(id, EXECUTOR, CommandStatus.SUCCEEDED).status()).isEqualTo(200);
                }
            }
            case FAILED -> {
                bringTo(id, CommandStatus.ACCEPTED);
                assertThat(move(id, EXECUTOR, CommandStatus.FAILED).status()).isEqualTo(200);
            }
            case CANCELED -> assertThat(http.delete("/api/commands/" + id).status()).isEqualTo(200);
            case EXPIRED -> {
                relay.clock().advance(COMMAND_TTL);
                assertThat(JsonLists.longs(relay.reap().get("expiredCommandIds"))).contains(id);
            }
        }
        assertThat(command(id).get("status").asText()).isEqualTo(status.wire());
    }

    @Test
    void onlyTheTargetMovesACommandAndBadReportsAre400s() {
        relay.register("bob");
        long id = newCommand();

        refused(move(id, "bob", CommandStatus.ACCEPTED), 403, "command " + id + " is for " + EXECUTOR
                + "; agent bob may not move it");
        refused(move(id + 1000, EXECUTOR, CommandStatus.ACCEPTED), 404, "command " + (id + 1000) + " not found");
        refused(http.patch("/api/commands/abc", Map.of("agentId", EXECUTOR)), 400, "invalid command id: 'abc'");
        refused(http.patch("/api/commands/" + id, Map.of("status", "accepted")), 400, "agentId is required");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", "tag:ops", "status", "accepted")), 400,
                "agentId must be an agent id, not the target 'tag:ops'");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "done")), 400,
                "status must be one of pending|accepted|running|succeeded|failed|canceled|expired, got 'done'");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "accepted", "result", "ok")), 400,
                "result must be a JSON object");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "accepted",
                "progress", "p".repeat(2_001))), 400, "progress must be at most 2000 characters");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "accepted",
                "error", "e".repeat(4_001))), 400, "error must be at most 4000 characters");
        refused(http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR)), 409,
                "command " + id + " cannot go from pending to pending");
        refused(move(id, EXECUTOR, CommandStatus.EXPIRED), 409, "command " + id + " cannot go from pending to expired");

        assertThat(command(id).get("status").asText()).isEqualTo("pending");
        assertThat(relay.events("command.updated")).isEmpty();
    }

    @Test
    void twoExecutorsRacingToAcceptOneCommandGiveExactlyOneWinner() throws Exception {
        long id = newCommand();
        int racers = 12;

        List<Http.Response> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<Future<Http.Response>> accepts = IntStream.range(0, racers).mapToObj(i -> pool.submit(() -> {
                go.await();
                return http.patch("/api/commands/" + id, Map.of("agentId", EXECUTOR, "status", "accepted",
                        "progress", "racer " + i));
            })).toList();
            go.countDown();
            for (Future<Http.Response> accept : accepts) {
                answers.add(accept.get());
            }
        }

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(racers - 1)
                .allSatisfy(r -> assertThat(r.json().get("status").asText()).isEqualTo("accepted"));
        String winner = answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().get("progress").asText();
        assertThat(command(id).get("progress").asText()).isEqualTo(winner);
        assertThat(relay.events("command.updated")).hasSize(1);
    }

    @Test
    void deletingCancelsAnUnfinishedCommandAndRefusesAFinishedOne() {
        long pending = newCommand();
        long running = newCommand();
        bringTo(running, CommandStatus.RUNNING);
        relay.clock().advance(Duration.ofSeconds(1));

        Http.Response canceled = http.delete("/api/commands/" + pending);

        assertThat(canceled.status()).isEqualTo(200);
        assertThat(canceled.json().get("status").asText()).isEqualTo("canceled");
        assertThat(canceled.json().get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(http.delete("/api/commands/" + running).json().get("status").asText()).isEqualTo("canceled");
        assertThat(command(running).get("claimedBy").asText()).as("who had accepted it").isEqualTo(EXECUTOR);
        JsonNode event = relay.events("command.updated").stream()
                .filter(e -> e.get("data").get("id").asLong() == pending).findFirst().orElseThrow();
        assertThat(event.get("source").asText()).isEqualTo("server");
        assertThat(event.get("scope").get("target").asText()).isEqualTo(EXECUTOR);
        Http.Response twice = http.delete("/api/commands/" + pending);
        refused(twice, 409, "command " + pending + " is already canceled");
        assertThat(twice.json().get("status").asText()).isEqualTo("canceled");
        refused(http.delete("/api/commands/99999"), 404, "command 99999 not found");
        refused(http.delete("/api/commands/-1"), 400, "invalid command id: '-1'");
    }

    @Test
    void theReaperExpiresCommandsNobodyAcceptedInTime() {
        long early = newCommand();
        long accepted = newCommand();
        move(accepted, EXECUTOR, CommandStatus.ACCEPTED);
        relay.clock().advance(Duration.ofSeconds(10));
        long late = newCommand();
        relay.clock().advance(COMMAND_TTL.minusSeconds(10).minusMillis(1));
        assertThat(relay.reap().get("expiredCommandIds")).as("not yet").isEmpty();
        relay.clock().advance(Duration.ofMillis(1));

        JsonNode report = relay.reap();

        assertThat(JsonLists.longs(report.get("expiredCommandIds"))).containsExactly(early);
        assertThat(command(early).get("status").asText()).isEqualTo("expired");
        assertThat(command(early).get("updatedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(command(accepted).get("status").asText()).as("accepted commands do not expire").isEqualTo("accepted");
        assertThat(command(late).get("status").asText()).isEqualTo("pending");
        JsonNode event = relay.events("command.updated").stream()
                .filter(e -> e.get("data").get("status").asText().equals("expired")).findFirst().orElseThrow();
        assertThat(event.get("source").asText()).isEqualTo("server");
        assertThat(event.get("data").get("id").asLong()).isEqualTo(early);
        JsonNode audit = http.get("/api/activity?limit=1").json().get("activity").get(0);
        assertThat(audit.get("body").asText()).isEqualTo("0 stale agent(s), 0 stale orchestrator(s), 0 message claim(s), "
                + "0 task claim(s), 0 queued message(s), 1 command(s)");
        relay.clock().advance(Duration.ofSeconds(10));
        assertThat(JsonLists.longs(relay.reap().get("expiredCommandIds"))).containsExactly(late);
    }

    @Test
    void commandsAreListedAsABareArrayNewestFirstWithFilters() {
        relay.registerOrchestrator("o2", "/srv", Map.of());
        long a = newCommand();
        long b = http.post("/api/orchestrators/o2/actions", Map.of("action", "restart")).json().get("command").get("id").asLong();
        long c = newCommand();
        move(c, EXECUTOR, CommandStatus.ACCEPTED);

        assertThat(ids("/api/commands")).containsExactly(c, b, a);
        assertThat(ids("/api/commands?target=" + EXECUTOR)).containsExactly(c, a);
        assertThat(ids("/api/commands?status=pending")).containsExactly(b, a);
        assertThat(ids("/api/commands?target=orchestrator-o2&status=pending")).containsExactly(b);
        assertThat(ids("/api/commands?limit=1")).containsExactly(c);
        assertThat(ids("/api/commands?target=nobody")).isEmpty();
        refused(http.get("/api/commands?limit=0"), 400, "limit must be between 1 and 500");
        refused(http.get("/api/commands?limit=501"), 400, "limit must be between 1 and 500");
        refused(http.get("/api/commands?status=done"), 400,
                "status must be one of pending|accepted|running|succeeded|failed|canceled|expired, got 'done'");
        refused(http.get("/api/commands?target=tag:ops"), 400, "target must be an agent id, not the target 'tag:ops'");
        refused(http.get("/api/commands/" + (c + 1)), 404, "command " + (c + 1) + " not found");
        assertThat(http.post("/api/commands", Map.of()).status()).as("no create route").isEqualTo(405);
    }

    private List<Long> ids(String path) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().isArray()).as("a bare array: " + response.text()).isTrue();
        List<Long> ids = new ArrayList<>();
        response.json().forEach(command -> ids.add(command.get("id").asLong()));
        return ids;
    }

    @Test
    void theTargetsStreamCarriesItsCommandsAndAnotherAgentsDoesNot() throws Exception {
        relay.register("bob");
        try (SseClient executor = SseClient.open(relay.url(), "/api/events/stream?agentId=" + EXECUTOR
                + "&types=command.created,command.updated", Map.of());
             SseClient bob = SseClient.open(relay.url(), "/api/events/stream?agentId=bob", Map.of())) {
            long id = newCommand();
            move(id, EXECUTOR, CommandStatus.ACCEPTED);
            http.delete("/api/commands/" + id);
            relay.send("carol", "bob", "sentinel");

            List<SseClient.Frame> frames = executor.events(3, WAIT);
            assertThat(frames).extracting(SseClient.Frame::event)
                    .containsExactly("command.created", "command.updated", "command.updated");
            assertThat(frames).extracting(f -> f.data().get("data").get("status").asText())
                    .containsExactly("pending", "accepted", "canceled");
            assertThat(frames).allSatisfy(f -> assertThat(f.data().get("data").get("id").asLong()).isEqualTo(id));
            assertThat(bob.nextEvent(WAIT).data().get("data").get("body").asText())
                    .as("bob's first event is the sentinel").isEqualTo("sentinel");
        }
        String types = "&types=command.created,command.updated";
        assertThat(http.get("/api/events?agentId=" + EXECUTOR + types).json().get("events")).hasSize(3);
        assertThat(http.get("/api/events?agentId=bob" + types).json().get("events")).isEmpty();
    }
}
