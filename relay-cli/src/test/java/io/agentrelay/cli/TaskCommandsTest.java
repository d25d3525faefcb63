package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.server.testing.Integrations;
import io.agentrelay.server.testing.TestRelay;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code agent-relay tasks} and {@code agent-relay task ...}, run in this JVM ({@link Cli#run}) against a relay with an integration. */
class TaskCommandsTest {
    static final String TOKEN = "monitor-token-0123456789";

    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Integrations.of()
                .add("monitor", TOKEN, List.of("tag:ops", "alice"), List.of("alerts", "builds"))
                .env(Map.of("AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "1000")));
        relay.register("alice", Map.of("tags", List.of("ops")));
        relay.register("bob", Map.of("tags", List.of("ops")));
        relay.register("carol");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Map<String, String> as(String agent) {
        return Cli.as(relay.url(), agent);
    }

    private Cli.Result fails(int exit, Map<String, String> env, String... args) {
        Cli.Result result = Cli.run(env, null, args);
        assertThat(result.exit()).as("%s", result).isEqualTo(exit);
        assertThat(result.out()).as("nothing on stdout when refused: %s", result).isEmpty();
        return result;
    }

    private static JsonNode json(Cli.Result result) throws Exception {
        assertThat(result.out().lines().count()).as("one JSON document: %s", result).isEqualTo(1);
        return Json.mapper().readTree(result.out());
    }

    private long raise(String target, String channel, String title) {
        Map<String, Object> event = new HashMap<>();
        event.put("target", target);
        event.put("title", title);
        event.put("body", "details of " + title);
        event.put("severity", "critical");
        if (channel != null) {
            event.put("channel", channel);
        }
        return relay.raiseTask(TOKEN, event);
    }

    @Test
    void anAgentListsClaimsAndFinishesATaskWithHumanReadableOutput() {
        long disk = raise("tag:ops", "alerts", "Disk almost full on db-1");
        long build = raise("alice", "builds", "Build #77 failed");

        String table = Cli.ok(as("alice"), "tasks").out();
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table).startsWith("ID").containsPattern("ID\\s+STATUS\\s+SEVERITY\\s+TARGET\\s+CHANNEL\\s+HOLDER\\s+UPDATED\\s+TITLE");
        assertThat(table.lines().skip(1).toList()).satisfiesExactly(
                row -> assertThat(row).matches("#" + build + "\\s+open\\s+critical\\s+alice\\s+builds\\s+-\\s+\\d+[smhd] ago\\s+Build #77 failed"),
                row -> assertThat(row).matches("#" + disk + "\\s+open\\s+critical\\s+tag:ops\\s+alerts\\s+-\\s+\\d+[smhd] ago\\s+Disk almost full on db-1"));
        assertThat(Cli.ok(as("alice"), "tasks", "--channel", "builds").out()).contains("Build #77").doesNotContain("Disk");
        assertThat(Cli.ok(as("alice"), "tasks", "--target", "TAG:ops").out()).contains("Disk").doesNotContain("Build #77");

        assertThat(Cli.ok(as("alice"), "task", "claim", Long.toString(disk)).out())
                .isEqualTo("claimed task #" + disk + ": Disk almost full on db-1\n");
        assertThat(Cli.ok(as("alice"), "task", "update", Long.toString(disk), "--status", "in_progress", "--progress", "rotating logs").out())
                .isEqualTo("task #" + disk + " is in_progress: rotating logs\n");
        assertThat(Cli.ok(as("alice"), "task", "update", Long.toString(disk), "--status", "done", "--result", "freed 40 GB").out())
                .isEqualTo("task #" + disk + " is done\n");

        assertThat(Cli.ok(as("alice"), "tasks", "--status", "done").out()).containsPattern("#" + disk + "\\s+done\\s+critical\\s+tag:ops\\s+alerts\\s+alice");
        assertThat(Cli.ok(as("bob"), "tasks", "--status", "blocked").out()).isEqualTo("no tasks\n");
        String shown = Cli.ok(as("bob"), "task", "show", Long.toString(disk)).out();
        assertThat(shown).startsWith("task #" + disk + " [done] critical — Disk almost full on db-1\n")
                .contains("From:      monitor, seen 1 time").contains("Target:    tag:ops (channel alerts)")
                .contains("Holder:    alice since ").contains("Progress:  rotating logs").contains("Result:    freed 40 GB")
                .contains("\ndetails of Disk almost full on db-1\n")
                .containsPattern("History:\n.*created\n.*claimed by alice  open → claimed\n.*status by alice  claimed → in_progress\n"
                        + ".*status by alice  in_progress → done\n$");
    }

    @Test
    void jsonOutputCarriesTheTaskForScripts() throws Exception {
        long id = raise("tag:ops", "alerts", "Disk almost full on db-1");

        JsonNode listed = json(Cli.ok(as("alice"), "tasks", "--json", "--status", "open", "--limit", "5"));
        assertThat(listed.path("tasks")).hasSize(1);
        assertThat(listed.path("tasks").get(0).path("id").asLong()).isEqualTo(id);
        assertThat(listed.path("tasks").get(0).path("severity").asText()).isEqualTo("critical");

        JsonNode claimed = json(Cli.ok(as("alice"), "task", "claim", Long.toString(id), "--json"));
        assertThat(claimed.path("status").asText()).isEqualTo("claimed");
        assertThat(claimed.path("claimedBy").asText()).isEqualTo("alice");
        Cli.Result fromStdin = Cli.run(as("alice"), "line one\nline two\n", "task", "update", Long.toString(id),
                "--status", "failed", "--result", "-", "--json");
        JsonNode failed = json(fromStdin);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("result").asText()).isEqualTo("line one\nline two");

        JsonNode shown = json(Cli.ok(as("bob"), "task", "show", Long.toString(id), "--json"));
        assertThat(shown.path("task").path("status").asText()).isEqualTo("failed");
        assertThat(shown.path("events")).extracting(e -> e.path("kind").asText()).containsExactly("created", "claimed", "status");
    }

    @Test
    void exitCodesTellAScriptWhatWentWrong() {
        long id = raise("tag:ops", null, "CPU hot");
        long forAlice = raise("alice", null, "Build #77 failed");

        Cli.Result early = fails(5, as("alice"), "task", "update", Long.toString(id), "--status", "done");
        assertThat(early.err()).contains("task " + id + " cannot go from open to done (allowed from here: claimed, canceled)");
        Cli.ok(as("alice"), "task", "claim", Long.toString(id));
        Cli.Result taken = fails(5, as("bob"), "task", "claim", Long.toString(id));
        assertThat(taken.err()).contains("task " + id + " is already claimed by alice");
        Cli.Result notHolder = fails(5, as("bob"), "task", "update", Long.toString(id), "--status", "done");
        assertThat(notHolder.err()).contains("task " + id + " is claimed by alice");

        assertThat(fails(4, as("alice"), "task", "show", "999").err()).contains("task 999 not found");
        assertThat(fails(4, as("alice"), "task", "claim", "999").err()).contains("999");
        assertThat(fails(6, as("carol"), "task", "claim", Long.toString(forAlice)).err()).contains("does not reach agent carol");

        assertThat(fails(2, as("alice"), "tasks", "--status", "sleeping").err()).contains("--status must be one of open|");
        assertThat(fails(2, as("alice"), "tasks", "--limit", "501").err()).contains("limit");
        assertThat(fails(2, as("alice"), "task", "update", Long.toString(id)).err()).contains("--status");
        assertThat(fails(2, as("alice"), "task", "update", Long.toString(id), "--status", "finished").err())
                .contains("--status must be one of");
        assertThat(fails(2, as("alice"), "task", "update", Long.toString(id), "--status", "in_progress",
                "--progress", "x".repeat(2001)).err()).contains("progress");
        assertThat(fails(2, as("alice"), "task").err()).contains("show, claim or update");
    }

    @Test
    void everyTaskCommandHasHelp() {
        for (List<String> command : List.of(List.of("tasks"), List.of("task"), List.of("task", "show"),
                List.of("task", "claim"), List.of("task", "update"))) {
            StringWriter text = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(text));
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            assertThat(commandLine.execute(args.toArray(String[]::new))).as("%s", command).isZero();
            assertThat(text.toString()).as("%s", command).startsWith("Usage: agent-relay " + String.join(" ", command));
        }
    }
}
