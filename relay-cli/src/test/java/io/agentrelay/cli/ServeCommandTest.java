package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent-relay serve} as a user runs it: a separate process, flags and environment. */
@Tag("process")
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonLoopbackBindWithoutATokenAndSaysWhatToSet() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("r.db").toString()),
                "serve", "--host", "0.0.0.0", "--port", "0")) {
            assertThat(relay.awaitExit()).isEqualTo(2);
            assertThat(relay.output()).contains("AGENT_RELAY_TOKEN").contains("0.0.0.0");
        }
    }

    @Test
    void rejectsAnInvalidSettingNamingTheVariable() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("r.db").toString(),
                "STALE_TTL_MS", "soon"), "serve", "--port", "0")) {
            assertThat(relay.awaitExit()).isEqualTo(2);
            assertThat(relay.output()).contains("STALE_TTL_MS");
        }
    }

    @Test
    void flagsOverrideTheEnvironmentAndTheTokenIsEnforced() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("r.db").toString(),
                "PORT", "1", "AGENT_RELAY_TOKEN", "from-env"), "serve", "--port", "0", "--token", "from-flag")) {
            String url = relay.awaitUrl();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> withFlagToken = http.send(HttpRequest.newBuilder(URI.create(url + "/api/agents"))
                    .header("Authorization", "Bearer from-flag").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withEnvToken = http.send(HttpRequest.newBuilder(URI.create(url + "/api/agents"))
                    .header("Authorization", "Bearer from-env").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withFlagToken.statusCode()).isEqualTo(200);
            assertThat(withEnvToken.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anInvalidIntegrationsFlagStopsStartUpNamingTheProblem() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("r.db").toString()),
                "serve", "--port", "0", "--integrations", "[{\"name\": \"ci\", \"token\": \"t\", \"scopes\": [], "
                        + "\"targets\": [\"ops\"], \"callbackUrl\": \"http://192.168.0.5/hook\"}]")) {
            assertThat(relay.awaitExit()).isEqualTo(2);
            assertThat(relay.output()).contains("AGENT_RELAY_INTEGRATIONS").contains("(ci).callbackUrl")
                    .contains("AGENT_RELAY_CALLBACK_ALLOW_PRIVATE");
        }
    }
}
