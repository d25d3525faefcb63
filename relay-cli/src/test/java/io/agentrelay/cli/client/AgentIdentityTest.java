package io.agentrelay.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theIdIsHostnameRigProjectAndSessionHash() {
        AgentIdentity identity = AgentIdentity.generate(Map.of("AGENT_RELAY_RIG", "codex", "AGENT_RELAY_PROJECT", "web",
                "AGENT_RELAY_SESSION", "s-1"), dir, "shell");

        assertThat(identity.rig()).isEqualTo("codex");
        assertThat(identity.project()).isEqualTo("web");
        assertThat(identity.sessionHash()).matches("[0-9a-f]{8}");
        assertThat(identity.id()).isEqualTo(identity.hostname() + "-codex-web-" + identity.sessionHash());
    }

    @Test
    void theSameSessionGivesTheSameIdAndAnotherSessionAnother() {
        Map<String, String> one = Map.of("AGENT_RELAY_SESSION", "one");
        assertThat(AgentIdentity.generate(one, dir, "shell").id()).isEqualTo(AgentIdentity.generate(one, dir, "shell").id());
        assertThat(AgentIdentity.generate(Map.of("AGENT_RELAY_SESSION", "two"), dir, "shell").sessionHash())
                .isNotEqualTo(AgentIdentity.generate(one, dir, "shell").sessionHash());
    }

    @Test
    void withoutASessionKeyTheOwningProcessIsTheSession() {
        // This JVM's parent is whatever runs the tests; two computations in one process agree.
        assertThat(AgentIdentity.generate(Map.of(), dir, "mcp").id()).isEqualTo(AgentIdentity.generate(Map.of(), dir, "mcp").id());
        assertThat(AgentIdentity.owningProcess()).matches("\\d+@.+");
    }

    @Test
    void theProjectIsTheEnclosingGitWorkTreeElseTheDirectory() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("My_Repo"));
        Files.createDirectories(repo.resolve(".git"));
        Path nested = Files.createDirectories(repo.resolve("src/main"));

        assertThat(AgentIdentity.projectName(nested)).isEqualTo("My_Repo");
        assertThat(AgentIdentity.generate(Map.of("AGENT_RELAY_SESSION", "s"), nested, "shell").project()).isEqualTo("my-repo");
        assertThat(AgentIdentity.projectName(Files.createDirectories(dir.resolve("plain")))).isEqualTo("plain");
    }

    @Test
    void partsAreSluggedToLowerCaseLettersDigitsAndSingleDashes() {
        assertThat(AgentIdentity.slug("  Hello, World!! ")).isEqualTo("hello-world");
        assertThat(AgentIdentity.slug("Ünïcode")).isEqualTo("n-code");
        assertThat(AgentIdentity.slug("***")).isEqualTo("x");
        assertThat(AgentIdentity.slug("a".repeat(60))).hasSize(40);
    }
}
