package io.agentrelay.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spawning in a real tmux: what runs is the administrator's provider command, where the base
 * directory allows, with the environment the spawner builds; requests outside that are refused.
 */
@Tag("process")
class SpawnerTest {
    /** Records its environment and arguments in its working directory, then stays up. */
    private static final List<String> RECORDER = List.of("/bin/sh", "-c",
            "env -0 > env.part; mv env.part env; printf '%s\\0' \"$@\" > args.part; mv args.part args; exec sleep 600", "recorder");

    @TempDir
    Path dir;
    Path base;
    Tmux tmux;
    Spawner spawner;

    @BeforeEach
    void start() throws Exception {
        TmuxAvailable.require();
        base = Files.createDirectories(dir.resolve("base"));
        Files.createDirectories(base.resolve("project"));
        Files.createDirectories(dir.resolve("base-other"));
        Files.createSymbolicLink(base.resolve("escape"), dir.resolve("base-other"));
        Files.writeString(base.resolve("file.txt"), "not a directory");
        tmux = new Tmux("tmux", "agent-relay-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Map<String, String> environment = Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "SECRET_OF_THE_ORCHESTRATOR", "do-not-pass", "ANTHROPIC_API_KEY", "sk-test");
        InstalledProvider recorder = new InstalledProvider("claude", RECORDER, true, List.of("--model=", "--verbose"));
        spawner = new Spawner(new Spawner.Settings("host1", base, "http://127.0.0.1:4850", "relay-token", environment,
                List.of("ANTHROPIC_API_KEY"), Map.of("claude", recorder), dir.resolve("scripts")), tmux,
                Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        if (tmux != null) {
            tmux.killServer();
        }
    }

    private static SpawnParams request(String provider, String cwd, List<String> providerArgs, String prompt) {
        return new SpawnParams(provider, cwd, "fixer", List.of("qa", "java"), List.of("review"), null, prompt,
                providerArgs, "nightly", "sp_1", "fixers");
    }

    @Test
    void theProviderRunsInTheRequestedDirectoryWithTheRelaysVariablesAndNothingElseOfTheOrchestrators() throws Exception {
        Spawner.Managed managed = spawner.spawn(request("claude", base.resolve("project").toString(),
                List.of("--model=opus", "--verbose"), "fix the build; then $(rm -rf /)"));

        Path project = base.resolve("project");
        Awaits.file(project.resolve("args"), Duration.ofSeconds(20));
        String recorded = Files.readString(project.resolve("args"));
        List<String> args = Arrays.asList(recorded.substring(0, recorded.length() - 1).split("\0", -1));
        assertThat(args).containsExactly("--model=opus", "--verbose", "fix the build; then $(rm -rf /)");
        Map<String, String> env = Awaits.environment(project.resolve("env"));
        assertThat(env).containsEntry("AGENT_RELAY_URL", "http://127.0.0.1:4850")
                .containsEntry("AGENT_RELAY_TOKEN", "relay-token")
                .containsEntry("AGENT_RELAY_AGENT_ID", managed.agentId())
                .containsEntry("AGENT_RELAY_ORCHESTRATOR_ID", "host1")
                .containsEntry("AGENT_RELAY_APPROVAL", "guarded")
                .containsEntry("AGENT_RELAY_LABEL", "fixer")
                .containsEntry("AGENT_RELAY_TAGS", "qa,java")
                .containsEntry("AGENT_RELAY_CAPS", "review")
                .containsEntry("AGENT_RELAY_POLICY", "nightly")
                .containsEntry("AGENT_RELAY_SPAWN_REQUEST_ID", "sp_1")
                .containsEntry("AGENT_RELAY_POOL", "fixers")
                .containsEntry("ANTHROPIC_API_KEY", "sk-test")
                .containsEntry("HOME", dir.toString())
                .doesNotContainKey("SECRET_OF_THE_ORCHESTRATOR");

        assertThat(managed.agentId()).matches("host1-claude-[0-9a-f]{8}");
        assertThat(managed.tmuxSession()).matches("ar-claude-[0-9a-f]{8}");
        assertThat(managed.agentId()).endsWith(managed.tmuxSession().substring("ar-claude-".length()));
        assertThat(managed.cwd()).isEqualTo(project.toRealPath().toString());
        assertThat(managed.pid()).isNotNull();
        assertThat(managed.startedAt()).isEqualTo(1_700_000_000_000L);
        assertThat(tmux.running(managed.tmuxSession())).isTrue();

        assertThat(spawner.stop(managed.tmuxSession())).isTrue();
        assertThat(tmux.has(managed.tmuxSession())).isFalse();
        assertThat(dir.resolve("scripts").resolve(managed.tmuxSession() + ".sh")).doesNotExist();
    }

    @Test
    void withoutADirectoryTheAgentWorksInTheBaseDirectory() throws Exception {
        Spawner.Managed managed = spawner.spawn(request("claude", null, List.of(), null));

        Awaits.file(base.resolve("args"), Duration.ofSeconds(20));
        assertThat(managed.cwd()).isEqualTo(base.toRealPath().toString());
        assertThat(Files.readString(base.resolve("args"))).as("no prompt, no arguments").isEqualTo("\0");
    }

    @Test
    void directoriesOutsideTheBaseAreRefusedWhateverTheySayTheyAre() {
        assertThatThrownBy(() -> spawner.workingDirectory(base + "/../base-other"))
                .hasMessageStartingWith("cwd must be within orchestrator base directory");
        assertThatThrownBy(() -> spawner.workingDirectory(dir.resolve("base-other").toString()))
                .as("a sibling sharing the prefix").hasMessageStartingWith("cwd must be within orchestrator base directory");
        assertThatThrownBy(() -> spawner.workingDirectory(base.resolve("escape").toString()))
                .as("a symbolic link out").hasMessageStartingWith("cwd must be within orchestrator base directory");
        assertThatThrownBy(() -> spawner.workingDirectory("project")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> spawner.workingDirectory(base.resolve("missing").toString())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> spawner.workingDirectory(base.resolve("file.txt").toString())).hasMessageContaining("not a directory");
        assertThat(tmux.sessions()).isEmpty();
    }

    @Test
    void onlyInstalledProvidersAndAllowedArgumentsRun() {
        assertThatThrownBy(() -> spawner.spawn(request("codex", null, List.of(), null)))
                .hasMessage("provider codex is not installed on this orchestrator (installed: claude)");
        assertThatThrownBy(() -> spawner.spawn(request("claude", null, List.of("--dangerously-skip-permissions"), null)))
                .hasMessageContaining("'--dangerously-skip-permissions' is not allowed");
        assertThatThrownBy(() -> spawner.spawn(request("claude", null, List.of("--model"), null)))
                .as("--model= allows --model=x, not a bare --model").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> spawner.stop("users-own-session")).hasMessageContaining("not one this orchestrator manages");
        assertThat(tmux.sessions()).isEmpty();
    }
}
