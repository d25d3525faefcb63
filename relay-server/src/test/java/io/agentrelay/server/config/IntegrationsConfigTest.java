package io.agentrelay.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code AGENT_RELAY_INTEGRATIONS} and the settings around it, validated at start-up. */
class IntegrationsConfigTest {
    static final String MONITOR = """
            [{"name": "monitor", "token": "tok-monitor-123", "scopes": ["tasks:create"],
              "targets": ["TAG:ops", "alice"], "channels": ["alerts"],
              "callbackUrl": "https://hooks.example.com/relay", "secret": "hmac-key"}]""";

    @TempDir
    Path dir;

    @Test
    void withoutIntegrationsTheDefaultsApply() {
        Integrations integrations = RelayConfig.from(Map.of(), Map.of()).integrations();

        assertThat(integrations.all()).isEmpty();
        assertThat(integrations.ratePerMinute()).isEqualTo(120);
        assertThat(integrations.allowPrivateCallbacks()).isFalse();
        assertThat(integrations.callbackMaxAttempts()).isEqualTo(10);
    }

    @Test
    void anIntegrationIsReadWithCanonicalTargetsAndOnlyADigestOfItsToken() {
        RelayConfig config = RelayConfig.from(Map.of("AGENT_RELAY_INTEGRATIONS", MONITOR,
                "AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE", "30", "AGENT_RELAY_CALLBACK_MAX_ATTEMPTS", "4"), Map.of());

        Integration monitor = config.integrations().named("monitor").orElseThrow();
        assertThat(monitor.scopes()).containsExactly(IntegrationScope.TASKS_CREATE);
        assertThat(monitor.targets()).containsExactly("tag:ops", "alice");
        assertThat(monitor.channels()).containsExactly("alerts");
        assertThat(monitor.callbackUrl()).isEqualTo(URI.create("https://hooks.example.com/relay"));
        assertThat(monitor.secret()).isEqualTo("hmac-key");
        assertThat(monitor.tokenDigest()).isEqualTo(Integration.digest("tok-monitor-123"));
        assertThat(new String(monitor.tokenDigest(), StandardCharsets.ISO_8859_1)).doesNotContain("tok-monitor-123");
        assertThat(config.toString()).doesNotContain("tok-monitor-123").doesNotContain("hmac-key");
        assertThat(config.integrations().ratePerMinute()).isEqualTo(30);
        assertThat(config.integrations().callbackMaxAttempts()).isEqualTo(4);
    }

    @Test
    void theVariableMayNameAFileHoldingTheArray() throws Exception {
        Path file = dir.resolve("integrations.json");
        Files.writeString(file, MONITOR);

        RelayConfig config = RelayConfig.from(Map.of(), Map.of("AGENT_RELAY_INTEGRATIONS", file.toString()));

        assertThat(config.integrations().named("monitor")).isPresent();
        assertThatThrownBy(() -> RelayConfig.from(Map.of("AGENT_RELAY_INTEGRATIONS",
                dir.resolve("missing.json").toString()), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_INTEGRATIONS")
                .hasMessageContaining("missing.json");
    }

    static Stream<Arguments> invalidIntegrations() {
        return Stream.of(
                Arguments.of("[{\"name\": ", "not valid JSON"),
                Arguments.of("{\"name\": \"a\"}", "must be a JSON array"),
                Arguments.of("[42]", "[0] must be a JSON object"),
                Arguments.of("[{\"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"]}]", "[0].name is required"),
                Arguments.of("[{\"name\": \"has space\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"]}]",
                        "name must be"),
                Arguments.of("[{\"name\": \"a\", \"scopes\": [], \"targets\": [\"a\"]}]", "(a).token is required"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"targets\": [\"a\"]}]", "(a).scopes is required"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [\"tasks:write\"], \"targets\": [\"a\"]}]",
                        "unknown scope 'tasks:write'; known: tasks:create"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": []}]",
                        "(a).targets must list at least one"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"pool:x\"]}]",
                        "pool: and policy:"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"callbackURL\": \"https://x.example\"}]", "unknown field 'callbackURL'"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"callbackUrl\": \"ftp://x.example/\"}]", "(a).callbackUrl must be an http:// or https:// URL"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"callbackUrl\": \"http://10.1.2.3/hook\"}]", "AGENT_RELAY_CALLBACK_ALLOW_PRIVATE"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"callbackUrl\": \"http://localhost:8080/hook\"}]", "internal address"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"callbackUrl\": \"https://user:pw@x.example/\"}]", "user:password"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                        + "\"secret\": \"\"}]", "(a).secret must not be empty"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"]},"
                        + "{\"name\": \"a\", \"token\": \"t2\", \"scopes\": [], \"targets\": [\"a\"]}]",
                        "[1] (a): the name is used by another integration"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"]},"
                        + "{\"name\": \"b\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"]}]",
                        "[1] (b): the token is used by another integration"),
                Arguments.of("[{\"name\": \"a\", \"token\": \"relay-secret\", \"scopes\": [], \"targets\": [\"a\"]}]",
                        "the token equals AGENT_RELAY_TOKEN"));
    }

    @ParameterizedTest
    @MethodSource("invalidIntegrations")
    void anInvalidIntegrationStopsStartUpNamingTheEntryAndTheField(String json, String message) {
        assertThatThrownBy(() -> RelayConfig.from(Map.of("AGENT_RELAY_INTEGRATIONS", json,
                "AGENT_RELAY_TOKEN", "relay-secret"), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageStartingWith("AGENT_RELAY_INTEGRATIONS")
                .hasMessageContaining(message)
                .hasMessageNotContaining("relay-secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"t1\""));
    }

    @Test
    void privateCallbackUrlsAreAcceptedWhenAllowed() {
        String json = "[{\"name\": \"a\", \"token\": \"t1\", \"scopes\": [], \"targets\": [\"a\"], "
                + "\"callbackUrl\": \"http://127.0.0.1:9000/hook\"}]";

        RelayConfig config = RelayConfig.from(Map.of("AGENT_RELAY_INTEGRATIONS", json,
                "AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "true"), Map.of());

        assertThat(config.integrations().allowPrivateCallbacks()).isTrue();
        assertThat(config.integrations().named("a").orElseThrow().callbackUrl().getPort()).isEqualTo(9000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE=0", "AGENT_RELAY_INTEGRATION_RATE_LIMIT_PER_MINUTE=many",
            "AGENT_RELAY_CALLBACK_MAX_ATTEMPTS=0", "AGENT_RELAY_CALLBACK_MAX_ATTEMPTS=51",
            "AGENT_RELAY_CALLBACK_ALLOW_PRIVATE=maybe"})
    void anInvalidSettingIsRefusedNamingTheVariable(String setting) {
        String[] parts = setting.split("=", 2);
        assertThatThrownBy(() -> RelayConfig.from(Map.of(parts[0], parts[1]), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageStartingWith(parts[0] + " must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1"})
    void internalAddressesArePrivate(String address) throws Exception {
        assertThat(CallbackUrls.isPrivate(InetAddress.getByName(address))).isTrue();
        assertThat(CallbackUrls.refusal(address, false)).contains(address);
        assertThat(CallbackUrls.refusal(address, true)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::127.0.0.1", "::10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::8.8.8.8",
            "2002:7f00:1::1", "2002:c0a8:101::", "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:0:7f00:1::"})
    void ipv6AddressesCarryingAnInternalIpv4AddressArePrivate(String address) throws Exception {
        assertThat(CallbackUrls.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        assertThatThrownBy(() -> CallbackUrls.parse("http://[" + address + "]/hook", false))
                .hasMessageContaining("internal address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "2606:4700::1111", "100.128.0.1", "::8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"})
    void publicAddressesAreNot(String address) throws Exception {
        assertThat(CallbackUrls.isPrivate(InetAddress.getByName(address))).isFalse();
        assertThat(CallbackUrls.refusal(address, false)).isNull();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedAtSendTime() {
        assertThat(CallbackUrls.refusal("localhost", false)).contains("internal address");
    }
}
