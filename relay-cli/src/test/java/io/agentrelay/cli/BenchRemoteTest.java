package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.cli.bench.BenchCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agent-relay bench --url}: the smoke-sized bench against a relay it did not start, one
 * that requires a token, running in its own process.
 */
@Tag("process")
class BenchRemoteTest {
    private static final String TOKEN = "bench-remote-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void measuresARelayItDidNotStartWithItsTokenAndRemovesItsAgentsAfterwards() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("remote.db").toString(),
                "PORT", "0", "AGENT_RELAY_TOKEN", TOKEN), "serve")) {
            String url = relay.awaitUrl();
            int exit = new CommandLine(new BenchCommand()).execute("--smoke", "--url", url, "--token", TOKEN,
                    "--out", dir.resolve("out").toString(), "--data-dir", dir.resolve("stores").toString());

            JsonNode report = Json.mapper().readTree(dir.resolve("out/report.json").toFile());
            assertThat(report.get("relay").asText()).isEqualTo(url);
            assertThat(report.get("command").asText()).contains("--url " + url).doesNotContain(TOKEN);
            assertThat(Files.readString(dir.resolve("out/report.md"))).contains(url).doesNotContain(TOKEN);
            assertThat(Files.readString(dir.resolve("out/report.json"))).doesNotContain(TOKEN);
            JsonNode results = report.get("results");
            for (String scenario : new String[] {"send", "deliver", "fanout", "claims"}) {
                assertThat(results.get(scenario).get("completed").asBoolean())
                        .as("%s completed (%s)", scenario, results.get(scenario).path("error").asText())
                        .isTrue();
            }
            // The baseline and start-up measure this machine and build, not the relay at the URL;
            // nor can the bench read the memory of a process it did not start.
            assertThat(results.has("baseline")).isFalse();
            assertThat(results.has("startup")).isFalse();
            assertThat(results.path("memory").has("relayRssWithIdleStreamsMb")).isFalse();
            assertThat(results.path("memory").has("relayIdleRssMb")).isFalse();
            assertThat(results.get("deliver").get("at1000PerSecondSse").get("count").asLong()).isEqualTo(500);
            assertThat(results.get("claims").get("doubleClaims").asLong()).isZero();
            assertThat(exit).isZero();

            HttpResponse<String> agents = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/agents"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            List<String> left = new ArrayList<>();
            Json.mapper().readTree(agents.body()).get("agents").forEach(agent -> left.add(agent.get("id").asText()));
            assertThat(left).as("the agents the bench registered are removed").isEmpty();
            // Its messages stay: the relay was written to, as the option's help says.
            HttpResponse<String> messages = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/api/messages?limit=1")).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Json.mapper().readTree(messages.body()).get("messages")).isNotEmpty();
        }
    }

    @Test
    void withoutTheTokenItStopsBeforeWritingAnything() throws Exception {
        try (RelayProcess relay = RelayProcess.start(Map.of("AGENT_RELAY_DB", dir.resolve("remote.db").toString(),
                "PORT", "0", "AGENT_RELAY_TOKEN", TOKEN), "serve")) {
            String url = relay.awaitUrl();
            // --token given empty: as if AGENT_RELAY_TOKEN were unset, whatever this test's environment holds.
            int exit = new CommandLine(new BenchCommand()).execute("--smoke", "--url", url, "--token", "",
                    "--out", dir.resolve("out").toString());

            assertThat(exit).isEqualTo(2);
            assertThat(Files.exists(dir.resolve("out/report.json"))).isFalse();
            HttpResponse<String> events = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url + "/api/events?limit=1")).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Json.mapper().readTree(events.body()).get("lastEventId").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.org", "http://bench:secret@127.0.0.1:1", "http://127.0.0.1:1/relay",
        "http://127.0.0.1:1/?x=1"})
    void aUrlThatIsNotARelaysHttpRootIsRefused(String url) {
        int exit = new CommandLine(new BenchCommand()).execute("--url", url, "--out", dir.resolve("out").toString());
        assertThat(exit).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("out/report.json"))).isFalse();
    }

    @Test
    void aRelayThatDoesNotAnswerStopsTheBenchWithExitCode2() throws Exception {
        int port;
        try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = unused.getLocalPort();
        }
        int exit = new CommandLine(new BenchCommand()).execute("--url", "http://127.0.0.1:" + port, "--out",
                dir.resolve("out").toString());
        assertThat(exit).isEqualTo(2);
    }
}
