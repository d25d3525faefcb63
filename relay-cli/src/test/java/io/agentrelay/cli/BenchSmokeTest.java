package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.cli.bench.BenchCommand;
import io.agentrelay.server.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark at smoke size, as CI runs it: every scenario completes against a relay in its own
 * process, and the claims check finds every message claimed exactly once. No timing is asserted.
 */
@Tag("process")
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyScenarioCompletesAndNoMessageIsClaimedTwice() throws Exception {
        int exit = new CommandLine(new BenchCommand()).execute("--smoke", "--out", dir.toString(),
                "--data-dir", dir.resolve("stores").toString());

        JsonNode report = Json.mapper().readTree(dir.resolve("report.json").toFile());
        JsonNode results = report.get("results");
        for (String scenario : new String[] {"baseline", "send", "deliver", "fanout", "claims", "startup"}) {
            assertThat(results.get(scenario).get("completed").asBoolean())
                    .as("%s completed (%s)", scenario, results.get(scenario).path("error").asText())
                    .isTrue();
        }
        // Half a second (a smoke step) at 1,000 msg/s: every paced send answered, and each delivered once on each stream.
        for (String measured : new String[] {"at1000PerSecondSendAck", "at1000PerSecondSse", "at1000PerSecondWs"}) {
            assertThat(results.get("deliver").get(measured).get("count").asLong()).as(measured).isEqualTo(500);
        }
        assertThat(results.get("deliver").get("jitSettleSeconds").asInt()).isEqualTo(1);
        assertThat(results.get("fanout").get("jitSettleSeconds").asInt()).isEqualTo(1);
        assertThat(results.get("fanout").get("allReceived").get("count").asLong()).isEqualTo(3);
        // Recovery: a restart after kill -9 under load, with every acknowledged send found in the store.
        assertThat(results.get("startup").get("afterKillMs")).hasSize(1);
        assertThat(results.get("claims").get("doubleClaims").asLong()).isZero();
        assertThat(results.get("claims").get("unclaimed").asLong()).isZero();
        assertThat(results.get("claims").get("messagesPerRound").asLong()).isPositive();
        assertThat(exit).isZero();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("## Goals");
        try (var left = Files.list(dir.resolve("stores"))) {
            assertThat(left.toList()).as("the bench removes the stores it made").isEmpty();
        }
    }

    @Test
    void onTwoPostgresqlNodesSendDeliverAcrossNodesAndClaimsComplete() throws Exception {
        int exit = new CommandLine(new BenchCommand()).execute("--smoke", "--out", dir.toString(),
                "--database-url", TestPostgres.newDatabase(), "--nodes", "2", "--only", "send,deliver,claims");

        JsonNode results = Json.mapper().readTree(dir.resolve("report.json").toFile()).get("results");
        for (String scenario : new String[] {"send", "deliver", "claims"}) {
            assertThat(results.get(scenario).get("completed").asBoolean())
                    .as("%s completed (%s)", scenario, results.get(scenario).path("error").asText())
                    .isTrue();
        }
        // Sent through node 1, received on node 2: every send delivered once on each stream.
        for (String measured : new String[] {"at1000PerSecondSse", "at1000PerSecondWs"}) {
            assertThat(results.get("deliver").get(measured).get("count").asLong()).as(measured).isEqualTo(500);
        }
        assertThat(results.get("claims").get("doubleClaims").asLong()).isZero();
        assertThat(results.get("claims").get("unclaimed").asLong()).isZero();
        assertThat(exit).isZero();
    }
}
