package io.agentrelay.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayConfigTest {

    @Test
    void withNothingSetEverySettingHasItsDocumentedDefault() {
        RelayConfig config = RelayConfig.from(Map.of(), Map.of());

        assertThat(config.port()).isEqualTo(4850);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.token()).isNull();
        assertThat(config.database()).isEqualTo(Path.of(System.getProperty("user.home"), ".agent-relay", "relay.db"));
        assertThat(config.retentionDays()).isEqualTo(30);
        assertThat(config.staleAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.offlineAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.pruneAfter()).isEqualTo(Duration.ofDays(1));
        assertThat(config.claimTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(config.reapInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.streamQueueBytes()).isEqualTo(1024 * 1024);
        assertThat(config.integrations().callbackTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.edge()).isEqualTo(new EdgeLimits(Duration.ofSeconds(10), Duration.ofMinutes(2),
                Duration.ofSeconds(30), 16_384, 4_096, 64L * 1024 * 1024, 32));
    }

    @Test
    void edgeLimitsThatContradictEachOtherAreRefusedSayingWhatToChange() {
        assertThatThrownBy(() -> RelayConfig.from(Map.of("AGENT_RELAY_MAX_CONNECTIONS", "100",
                "AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS", "200"), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS=200")
                .hasMessageContaining("raise AGENT_RELAY_MAX_CONNECTIONS");
        assertThatThrownBy(() -> RelayConfig.from(Map.of("MAX_BODY_BYTES", "4096",
                "AGENT_RELAY_MAX_PENDING_BODY_BYTES", "2048"), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_MAX_PENDING_BODY_BYTES=2048 is less than MAX_BODY_BYTES=4096");
        assertThatThrownBy(() -> RelayConfig.from(Map.of("AGENT_RELAY_MAX_JSON_DEPTH", "500"), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_MAX_JSON_DEPTH must be between 1 and 200");
    }

    @Test
    void environmentVariablesSetTheirSettings() {
        RelayConfig config = RelayConfig.from(Map.of(
                "PORT", "5001",
                "AGENT_RELAY_DB", "/tmp/relay-test.db",
                "RETENTION_DAYS", "7",
                "STALE_TTL_MS", "5000",
                "OFFLINE_PRUNE_MS", "60000",
                "CLAIM_TTL_MS", "2000",
                "MAX_BODY_BYTES", "4096",
                "AGENT_RELAY_REAP_INTERVAL_MS", "250",
                "AGENT_RELAY_SSE_HEARTBEAT_MS", "500",
                "AGENT_RELAY_STREAM_QUEUE_BYTES", "65536"), Map.of());

        assertThat(config.port()).isEqualTo(5001);
        assertThat(config.database()).isEqualTo(Path.of("/tmp/relay-test.db"));
        assertThat(config.retentionDays()).isEqualTo(7);
        assertThat(config.staleAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.offlineAfter()).as("twice STALE_TTL_MS").isEqualTo(Duration.ofSeconds(10));
        assertThat(config.pruneAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.claimTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxBodyBytes()).isEqualTo(4096);
        assertThat(config.reapInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.streamQueueBytes()).isEqualTo(65536);
    }

    @Test
    void flagsOverrideTheEnvironmentAndLeaveOtherSettingsAlone() {
        Map<String, String> flags = new HashMap<>();
        flags.put("PORT", "6000");
        flags.put("CLAIM_TTL_MS", null);

        RelayConfig config = RelayConfig.from(Map.of("PORT", "5000", "STALE_TTL_MS", "2000", "CLAIM_TTL_MS", "9000"),
                flags);

        assertThat(config.port()).isEqualTo(6000);
        assertThat(config.staleAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.claimTtl()).as("a flag that was not given").isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void aTokenFlagAllowsANonLoopbackHostFromTheEnvironment() {
        RelayConfig config = RelayConfig.from(Map.of("HOST", "0.0.0.0"), Map.of("AGENT_RELAY_TOKEN", "s3cret"));

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.token()).isEqualTo("s3cret");
    }

    @Test
    void valuesAreTrimmed() {
        RelayConfig config = RelayConfig.from(Map.of("PORT", " 5002 ", "AGENT_RELAY_TOKEN", " t "), Map.of());

        assertThat(config.port()).isEqualTo(5002);
        assertThat(config.token()).isEqualTo("t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.1.10", "10.0.0.1", "::", "example.com", "localhost.example.com",
            "127.0.0.1.nip.io"})
    void aNonLoopbackHostWithoutATokenIsRefusedWithAMessageSayingWhatToSet(String host) {
        assertThatThrownBy(() -> RelayConfig.from(Map.of("HOST", host), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_TOKEN")
                .hasMessageContaining(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aBlankTokenIsNoToken(String token) {
        assertThatThrownBy(() -> RelayConfig.from(Map.of("HOST", "0.0.0.0", "AGENT_RELAY_TOKEN", token), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_TOKEN");
        assertThat(RelayConfig.from(Map.of("AGENT_RELAY_TOKEN", token), Map.of()).token()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.168.1.10", "example.com"})
    void aNonLoopbackHostWithATokenIsAccepted(String host) {
        RelayConfig config = RelayConfig.from(Map.of("HOST", host, "AGENT_RELAY_TOKEN", "s3cret"), Map.of());

        assertThat(config.host()).isEqualTo(host);
        assertThat(config.token()).isEqualTo("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "localhost", "LOCALHOST"})
    void loopbackHostsNeedNoToken(String host) {
        RelayConfig config = RelayConfig.from(Map.of("HOST", host), Map.of());

        assertThat(config.host()).isEqualTo(host);
        assertThat(config.token()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "127.0.1", "2130706433", "0127.0.0.1", "127.0.0.256", "127..0.1", "127.0.0.1."})
    void anIpv4AddressNotWrittenInFullIsRefusedWithAMessageSayingHowToWriteIt(String host) {
        for (Map<String, String> env : List.of(Map.of("HOST", host), Map.of("HOST", host, "AGENT_RELAY_TOKEN", "t"))) {
            assertThatThrownBy(() -> RelayConfig.from(env, Map.of()))
                    .isInstanceOf(RelayConfig.Invalid.class)
                    .hasMessageContaining("HOST=" + host)
                    .hasMessageContaining("four numbers");
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "PORT, abc",
            "PORT, 70000",
            "PORT, -1",
            "PORT, 4850.5",
            "RETENTION_DAYS, -1",
            "RETENTION_DAYS, ten",
            "STALE_TTL_MS, 0",
            "STALE_TTL_MS, 999",
            "STALE_TTL_MS, 1e4",
            "OFFLINE_PRUNE_MS, 10",
            "OFFLINE_PRUNE_MS, 99999999999999999999",
            "CLAIM_TTL_MS, 0",
            "CLAIM_TTL_MS, 5m",
            "MAX_BODY_BYTES, 100",
            "MAX_BODY_BYTES, 1MB",
            "AGENT_RELAY_REAP_INTERVAL_MS, 0",
            "AGENT_RELAY_SSE_HEARTBEAT_MS, x",
            "AGENT_RELAY_STREAM_QUEUE_BYTES, 1",
            "AGENT_RELAY_CALLBACK_TIMEOUT_MS, 10s",
            "AGENT_RELAY_HEADER_TIMEOUT_MS, 0",
            "AGENT_RELAY_KEEP_ALIVE_TIMEOUT_MS, -5",
            "AGENT_RELAY_BODY_TIMEOUT_MS, 99999999999",
            "AGENT_RELAY_MAX_CONNECTIONS, 0",
            "AGENT_RELAY_MAX_CONNECTIONS_PER_ADDRESS, many",
            "AGENT_RELAY_MAX_PENDING_BODY_BYTES, 10",
            "AGENT_RELAY_MAX_JSON_DEPTH, 0"})
    void anInvalidNumberIsRefusedWithAMessageNamingTheVariable(String variable, String value) {
        assertThatThrownBy(() -> RelayConfig.from(Map.of(variable, value), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageStartingWith(variable + " must be")
                .hasMessageContaining(value);
    }

    @Test
    void anInvalidFlagIsRefusedEvenWhenTheEnvironmentIsValid() {
        assertThatThrownBy(() -> RelayConfig.from(Map.of("PORT", "5000"), Map.of("PORT", "http")))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("PORT");
    }

    @Test
    void theBoundsOfEachRangeAreAccepted() {
        RelayConfig low = RelayConfig.from(Map.of("PORT", "0", "RETENTION_DAYS", "0", "STALE_TTL_MS", "1000",
                "CLAIM_TTL_MS", "1000", "MAX_BODY_BYTES", "1024"), Map.of());
        RelayConfig high = RelayConfig.from(Map.of("PORT", "65535"), Map.of());

        assertThat(low.port()).isZero();
        assertThat(low.retentionDays()).as("0 keeps everything").isZero();
        assertThat(low.staleAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(low.claimTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(low.maxBodyBytes()).isEqualTo(1024);
        assertThat(high.port()).isEqualTo(65535);
    }
}
