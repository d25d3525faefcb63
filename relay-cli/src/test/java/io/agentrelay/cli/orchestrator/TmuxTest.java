package io.agentrelay.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real tmux server on a socket of the test's own. */
@Tag("process")
class TmuxTest {
    @TempDir
    Path dir;
    Tmux tmux;

    @BeforeEach
    void start() {
        TmuxAvailable.require();
        tmux = new Tmux("tmux", "agent-relay-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    @AfterEach
    void stop() {
        if (tmux != null) {
            tmux.killServer();
        }
    }

    @Test
    void aSessionRunsItsScriptInItsDirectoryUntilKilled() throws Exception {
        Path script = new LaunchScript(Map.of("PATH", System.getenv("PATH")),
                List.of("/bin/sh", "-c", "pwd > where.part; mv where.part where; echo ready; exec sleep 600")).writeTo(dir.resolve("s.sh"));

        tmux.start("ar-test-1", dir, script);
        Awaits.file(dir.resolve("where"), Duration.ofSeconds(20));

        assertThat(Files.readString(dir.resolve("where")).strip()).isEqualTo(dir.toRealPath().toString());
        assertThat(tmux.sessions()).containsExactly("ar-test-1");
        assertThat(tmux.has("ar-test-1")).isTrue();
        assertThat(tmux.running("ar-test-1")).isTrue();
        long pid = tmux.pid("ar-test-1").orElseThrow();
        assertThat(ProcessHandle.of(pid)).isPresent();
        assertThat(tmux.capture("ar-test-1", 50)).contains("ready");

        assertThat(tmux.kill("ar-test-1")).isTrue();
        assertThat(tmux.has("ar-test-1")).isFalse();
        assertThat(tmux.kill("ar-test-1")).as("already gone").isFalse();
        // kill-session hangs up the pane's program and returns; the program ends a moment later.
        Awaits.condition(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                Duration.ofSeconds(20));
    }

    @Test
    void aProgramThatEndsLeavesItsSessionDeadNotGone() throws Exception {
        Path script = new LaunchScript(Map.of(), List.of("/bin/sh", "-c", "echo bye; exit 3")).writeTo(dir.resolve("s.sh"));

        tmux.start("ar-test-2", dir, script);
        Awaits.condition(() -> !tmux.running("ar-test-2"), Duration.ofSeconds(20));

        assertThat(tmux.has("ar-test-2")).as("remain-on-exit keeps it for the supervisor").isTrue();
        // tmux may see the program exit before it has drained the program's last output.
        Awaits.condition(() -> tmux.capture("ar-test-2", 50).contains("bye"), Duration.ofSeconds(20));
    }

    @Test
    void namesThatTmuxWouldReadAsTargetsAreRefused() {
        for (String name : List.of("a:b", "a.b", "=a", "", "a b", "a;b")) {
            assertThatThrownBy(() -> tmux.has(name)).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Tmux("tmux", "bad socket")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aServerWithNoSessionsListsNone() {
        assertThat(tmux.sessions()).isEmpty();
        assertThat(tmux.has("ar-none")).isFalse();
        assertThat(tmux.pid("ar-none")).isEmpty();
    }
}
