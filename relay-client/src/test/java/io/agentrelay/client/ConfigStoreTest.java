package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.Json;
import io.agentrelay.api.RelayEvent;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Config} against a real relay. */
class ConfigStoreTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        client = RelayClient.connect(relay.url(), null);
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    /** A record, written by Jackson as a JSON object. */
    record Policy(String provider, int replicas) {
    }

    @Test
    void valuesOfAnyJsonTypeRoundTripWithTheirVersionsAndHistory() throws Exception {
        Config config = client.config();

        ConfigEntry first = config.put("reviews", "reviewer", new Policy("claude", 2), "alice");
        assertThat(first.version()).isEqualTo(1);
        assertThat(first.updatedBy()).isEqualTo("alice");
        assertThat(Json.mapper().treeToValue(first.value(), Policy.class)).isEqualTo(new Policy("claude", 2));
        ConfigEntry second = config.put("reviews", "reviewer", null);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.value().isNull()).as("null is stored as JSON null").isTrue();
        config.put("reviews", "näme:with@odd+chars", List.of(1, "two", Map.of("three", 3)));

        assertThat(config.get("reviews", "reviewer")).isEqualTo(second);
        assertThat(config.get("reviews", "näme:with@odd+chars").value())
                .isEqualTo(Json.mapper().readTree("[1,\"two\",{\"three\":3}]"));
        assertThat(config.list("reviews")).extracting(ConfigEntry::key)
                .containsExactly("näme:with@odd+chars", "reviewer");
        assertThat(config.namespaces()).extracting(ConfigNamespace::namespace, ConfigNamespace::keys)
                .containsExactly(tuple("reviews", 2L));

        config.delete("reviews", "reviewer", "bob");
        assertThatThrownBy(() -> config.get("reviews", "reviewer"))
                .isInstanceOfSatisfying(RelayException.NotFound.class,
                        e -> assertThat(e.getMessage()).isEqualTo("config not found"));
        assertThat(config.put("reviews", "reviewer", "back").version()).as("continues after the deletion").isEqualTo(4);
        assertThat(config.history("reviews", "reviewer")).extracting(ConfigRevision::version, ConfigRevision::deleted,
                ConfigRevision::updatedBy).containsExactly(tuple(4L, false, null), tuple(3L, true, "bob"),
                tuple(2L, false, null), tuple(1L, false, "alice"));
        assertThat(config.history("reviews", "reviewer", 2, 4)).extracting(ConfigRevision::version)
                .containsExactly(3L, 2L);
    }

    @Test
    void anAgentsOwnStreamCarriesEveryConfigChange() throws Exception {
        BlockingQueue<RelayEvent> changes = new LinkedBlockingQueue<>();
        try (LiveStream stream = client.events().subscribe(
                EventFilter.forAgent("alice").withTypes(EventFilter.CONFIG_CHANGED), changes::add)) {
            client.config().put("flags", "beta", true);
            client.config().delete("flags", "beta");

            for (long version = 1; version <= 2; version++) {
                RelayEvent event = changes.poll(10, TimeUnit.SECONDS);
                assertThat(event).as("config.changed for version %d", version).isNotNull();
                assertThat(event.data()).isEqualTo(Json.mapper().readTree(
                        "{\"namespace\":\"flags\",\"key\":\"beta\",\"version\":" + version + "}"));
                assertThat(event.scope().target()).isEqualTo("broadcast");
            }
            assertThat(stream.connected()).isTrue();
        }
    }

    @Test
    void aCompareAndSetAtAnotherVersionIsAConflictNamingTheCurrentVersion() {
        Config config = client.config();
        assertThat(config.putIfVersion("flags", "beta", true, "alice", 0).version()).isEqualTo(1);

        assertThatThrownBy(() -> config.putIfVersion("flags", "beta", false, "bob", 0))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("version conflict");
                    assertThat(e.version()).isEqualTo(1);
                });
        assertThat(config.putIfVersion("flags", "beta", false, "bob", 1).version()).isEqualTo(2);
        assertThatThrownBy(() -> config.deleteIfVersion("flags", "beta", "carol", 1))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> assertThat(e.version()).isEqualTo(2));
        config.deleteIfVersion("flags", "beta", "carol", 2);
        assertThatThrownBy(() -> config.delete("flags", "beta")).isInstanceOf(RelayException.NotFound.class);
        assertThatThrownBy(() -> config.put("flags", "has space", 1))
                .isInstanceOfSatisfying(RelayException.InvalidInput.class, e -> assertThat(e.field()).isEqualTo("key"));
    }
}
