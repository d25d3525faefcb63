package io.agentrelay.cli.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.client.RelayClient;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The user docs name every tool the MCP server offers, and show the version it reports. */
class ToolDocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyToolIsNamedWhereverTheToolsAreListed() throws IOException {
        McpCommand.Settings settings = McpCommand.Settings.from(Map.of("AGENT_RELAY_AGENT_ID", "docs"), Path.of("/tmp"));
        try (RelayClient relay = RelayClient.builder().url("http://127.0.0.1:1").build()) {
            Session session = new Session(relay, settings.registration(), Duration.ofSeconds(20));
            List<String> tools = new RelayTools(relay, session, settings).specifications().stream()
                    .map(SyncToolSpecification::tool).map(tool -> tool.name()).toList();
            for (String doc : List.of("docs/mcp.md", "integrations/claude-code/README.md", "integrations/codex/README.md")) {
                String text = Files.readString(ROOT.resolve(doc));
                for (String tool : tools) {
                    assertThat(text).as("%s lists %s", doc, tool).contains("`" + tool + "`");
                }
            }
        }
    }

    @Test
    void theVersionTheDocsShowIsTheProjectsVersion() throws IOException {
        Matcher pom = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(pom.find()).isTrue();
        Pattern shown = Pattern.compile("--version\\s+#\\s*agent-relay (\\S+)");
        for (String doc : List.of("README.md", "integrations/claude-code/README.md", "integrations/codex/README.md",
                "docs/cli.md")) {
            Matcher version = shown.matcher(Files.readString(ROOT.resolve(doc)));
            while (version.find()) {
                assertThat(version.group(1)).as("%s shows --version printing", doc).isEqualTo(pom.group(1));
            }
        }
    }
}
