package io.agentrelay.cli.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code agent-relay mcp} makes of its environment; the server itself is McpServerTest's. */
class McpSettingsTest {
    @Test
    void aBadSettingDoesNotStopTheServerButIsReportedByEveryTool() {
        McpCommand.Settings settings = McpCommand.Settings.from(Map.of("AGENT_RELAY_HEARTBEAT_MS", "soon",
                "AGENT_RELAY_APPROVAL", "lax", "AGENT_RELAY_AGENT_ID", "x"), Path.of("/tmp"));

        assertThat(settings.problems()).anySatisfy(p -> assertThat(p).contains("AGENT_RELAY_HEARTBEAT_MS"))
                .anySatisfy(p -> assertThat(p).contains("AGENT_RELAY_APPROVAL"));
        assertThat(settings.approval().mayAct()).as("an unknown approval grants nothing").isFalse();
    }

    @Test
    void unsetCapabilitiesAreNotSentSoRegisteringKeepsTheCardAndANewAgentGetsChat() {
        McpCommand.Settings settings = McpCommand.Settings.from(Map.of("AGENT_RELAY_AGENT_ID", "x"), Path.of("/tmp"));

        assertThat(settings.registration().capabilities()).isNull();
        assertThat(settings.registration().tags()).isNull();
        assertThat(settings.registration().defaultCapabilities()).containsExactly("chat");
    }

}
