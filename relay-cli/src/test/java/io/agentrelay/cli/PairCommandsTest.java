package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-relay pairs ...}, run in this JVM ({@link Cli#run}) against a real relay. */
class PairCommandsTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        relay.register("alice");
        relay.register("bob");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Map<String, String> as(String agent) {
        return Cli.as(relay.url(), agent);
    }

    private Cli.Result fails(int exit, Map<String, String> env, String... args) {
        Cli.Result result = Cli.run(env, "", args);
        assertThat(result.exit()).as("%s", result).isEqualTo(exit);
        assertThat(result.out()).as("nothing on stdout when refused: %s", result).isEmpty();
        return result;
    }

    @Test
    void twoAgentsPairWriteToEachOtherAndEndThePair() throws Exception {
        assertThat(Cli.ok(as("alice"), "pairs", "invite", "bob", "--topic", "login bug", "--ttl", "300").out())
                .isEqualTo("pair #1 alice -> bob is pending: login bug\n");
        assertThat(Cli.ok(as("bob"), "pairs", "list").out().lines().toList()).satisfiesExactly(
                header -> assertThat(header).matches("ID\\s+STATUS\\s+FROM\\s+TO\\s+UPDATED\\s+TOPIC"),
                row -> assertThat(row).matches("#1\\s+pending\\s+alice\\s+bob\\s+\\d+[smhd] ago\\s+login bug"));
        assertThat(Cli.ok(as("bob"), "pairs", "accept", "1").out()).isEqualTo("pair #1 alice -> bob is active: login bug\n");

        assertThat(Cli.ok(as("alice"), "pairs", "send", "1", "I take the backend").out()).matches("sent #\\d+ to bob\n");
        assertThat(Cli.ok(as("bob"), "inbox").out()).contains("I take the backend");
        assertThat(Cli.ok(as("bob"), "pairs", "end", "1", "--reason", "done").out())
                .isEqualTo("pair #1 alice -> bob is ended: login bug\n");
        assertThat(Cli.ok(as("alice"), "pairs", "show", "1", "--json").out()).contains("\"closedBy\":\"bob\"");
        assertThat(Cli.ok(as("alice"), "pairs", "list", "--status", "active").out()).isEqualTo("no pairs\n");
        assertThat(Cli.ok(as("carol"), "pairs", "list", "--all").out()).contains("#1");
        assertThat(Cli.ok(as("carol"), "pairs", "list").out()).isEqualTo("no pairs\n");
    }

    @Test
    void refusalsBecomeExitStatusesWithTheRelaysWords() throws Exception {
        Cli.ok(as("alice"), "pairs", "invite", "bob");

        assertThat(fails(5, as("bob"), "pairs", "invite", "alice").err())
                .contains("agents bob and alice already have an open pair: pair 1 is pending");
        assertThat(fails(6, as("alice"), "pairs", "accept", "1").err()).contains("only the invitee (bob) may accept pair 1");
        assertThat(fails(5, as("alice"), "pairs", "send", "1", "early").err()).contains("pair 1 is pending, not active");
        assertThat(fails(4, as("bob"), "pairs", "show", "9").err()).contains("pair 9 not found");
        assertThat(fails(4, as("alice"), "pairs", "invite", "zed").err()).contains("agent zed not found");
        Cli.ok(as("bob"), "pairs", "reject", "1", "--reason", "busy");
        assertThat(fails(5, as("bob"), "pairs", "accept", "1").err()).contains("pair 1 is rejected, not pending");
        assertThat(fails(2, as("bob"), "pairs").err()).contains("name what to do");
    }
}
