package io.agentrelay.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code AGENT_RELAY_DATABASE_URL}: the forms people paste, and never the password in a message. */
class DatabaseUrlTest {

    @Test
    void aPostgresqlUrlBecomesAJdbcUrlWithItsCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://relay:s%40cret@db.internal:5433/relay?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/relay?sslmode=require");
        assertThat(url.user()).isEqualTo("relay");
        assertThat(url.password()).isEqualTo("s@cret");
        assertThat(url.toString()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void thePostgresSchemeAndAUrlWithoutCredentialsOrPortAreAccepted() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://db/relay");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/relay");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void aJdbcUrlPassesThroughAndItsPasswordParameterIsRedacted() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/relay?user=relay&password=hunter2");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/relay?user=relay&password=hunter2");
        assertThat(url.redacted()).contains("password=***").doesNotContain("hunter2");
    }

    @Test
    void anythingElseIsRefusedWithAMessageThatNamesTheVariableButNotThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://root:hunter2@db/relay"))
                .isInstanceOf(RelayConfig.Invalid.class)
                .hasMessageContaining("AGENT_RELAY_DATABASE_URL")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db"))
                .isInstanceOf(RelayConfig.Invalid.class).hasMessageContaining("database");
    }

    @Test
    void theConfigurationTakesItAndRefusesItTogetherWithASqliteFile() {
        RelayConfig config = RelayConfig.from(Map.of("AGENT_RELAY_DATABASE_URL", "postgresql://db/relay"), Map.of());
        assertThat(config.databaseUrl().jdbcUrl()).isEqualTo("jdbc:postgresql://db/relay");
        assertThat(RelayConfig.from(Map.of(), Map.of()).databaseUrl()).as("SQLite by default").isNull();

        assertThatThrownBy(() -> RelayConfig.from(Map.of("AGENT_RELAY_DATABASE_URL", "postgresql://db/relay",
                "AGENT_RELAY_DB", "/tmp/relay.db"), Map.of()))
                .isInstanceOf(RelayConfig.Invalid.class).hasMessageContaining("set one of them");
    }
}
