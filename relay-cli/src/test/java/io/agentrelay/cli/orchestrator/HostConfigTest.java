package io.agentrelay.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {
    @TempDir
    Path dir;

    private HostConfig read(String json) throws Exception {
        return HostConfig.read(Files.writeString(dir.resolve("orchestrator.json"), json));
    }

    @Test
    void theAdministratorsFileNamesTheHostItsDirectoryAndItsProviders() throws Exception {
        HostConfig config = read("""
                {"id": "build-host-1", "baseDir": "/srv/agents", "envKeys": ["ANTHROPIC_API_KEY"],
                 "providers": {"claude": {"command": ["claude", "--permission-mode", "plan"], "allowedArgs": ["--model="]},
                               "codex": {"command": ["/usr/local/bin/codex"], "promptAsArgument": false}}}
                """);

        assertThat(config.id()).isEqualTo("build-host-1");
        assertThat(config.baseDir()).isEqualTo(Path.of("/srv/agents"));
        assertThat(config.envKeys()).containsExactly("ANTHROPIC_API_KEY");
        InstalledProvider claude = config.providers().get("claude");
        assertThat(claude.command()).containsExactly("claude", "--permission-mode", "plan");
        assertThat(claude.promptAsArgument()).isTrue();
        assertThat(claude.allows("--model=opus")).isTrue();
        assertThat(claude.allows("--model")).isFalse();
        assertThat(config.providers().get("codex").promptAsArgument()).isFalse();
        assertThat(config.providers().get("codex").allowedArgs()).isEmpty();
    }

    @Test
    void everyKeyIsOptional() throws Exception {
        HostConfig config = read("{}");

        assertThat(config.id()).isNull();
        assertThat(config.baseDir()).isNull();
        assertThat(config.providers()).isEmpty();
    }

    @Test
    void mistakesAreNamedNotIgnored() {
        for (String[] bad : List.of(
                new String[] {"{\"baseDirectory\": \"/srv\"}", "unknown setting baseDirectory"},
                new String[] {"{\"providers\": {\"claude\": {\"cmd\": [\"claude\"]}}}", "unknown setting providers.claude.cmd"},
                new String[] {"{\"providers\": {\"claude\": {}}}", "providers.claude.command is required"},
                new String[] {"{\"providers\": {\"claude\": {\"command\": \"claude\"}}}", "providers.claude.command must be a list"},
                new String[] {"{\"providers\": {\"claude\": {\"command\": [\"x=y\"]}}}", "must not contain '='"},
                new String[] {"{\"providers\": {\"Claude!\": {\"command\": [\"claude\"]}}}", "a provider name is"},
                new String[] {"{\"providers\": {\"claude\": {\"command\": [\"c\"], \"promptAsArgument\": \"yes\"}}}", "true or false"},
                new String[] {"{\"envKeys\": \"A\"}", "envKeys must be a list"},
                new String[] {"{\"id\": 7}", "id must be a non-empty string"},
                new String[] {"[1]", "must be a JSON object"},
                new String[] {"{", "is not JSON"})) {
            assertThatThrownBy(() -> read(bad[0])).as(bad[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("orchestrator.json").hasMessageContaining(bad[1]);
        }
    }
}
