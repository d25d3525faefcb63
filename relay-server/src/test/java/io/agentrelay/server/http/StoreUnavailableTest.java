package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import io.agentrelay.server.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot take a write right now (locked by another connection, its connections cut) is a 503 with
 * {@code Retry-After} that names the cause, writes nothing, and passes by itself: the next write
 * works without a restart.
 */
class StoreUnavailableTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aWriteWhileAnotherConnectionLocksTheSqliteFileIsA503AndTheNextWriteWorks() throws Exception {
        assumeFalse(TestStore.postgresql(), "SQLite's file lock");
        relay = TestRelay.start(dir);
        try (Connection backup = relay.database().connect(); Statement statement = backup.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            Http.Response refused = send("while locked");
            statement.execute("ROLLBACK");

            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.error()).contains("SQLITE_BUSY").contains("nothing was written");
        }
        assertThat(send("after").status()).isEqualTo(201);
        assertThat(relay.http().get("/api/messages?for=alice").json().get("messages")).hasSize(1);
    }

    @Test
    void writesAfterPostgresqlDroppedTheRelaysSessionsAreRefusedWith503OrAcceptedNeverA500() throws Exception {
        assumeTrue(TestStore.postgresql(), "PostgreSQL sessions to cut");
        relay = TestRelay.start(dir);
        assertThat(send("before").status()).isEqualTo(201);
        try (Connection admin = relay.database().connect(); Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'agent-relay' AND pid <> pg_backend_pid()");
        }

        // The writer finds its session gone on the first write and replaces it; a write is either
        // refused as unavailable (nothing written) or accepted, and writes work again by themselves.
        java.util.List<String> accepted = new java.util.ArrayList<>(java.util.List.of("before"));
        for (int n = 0; n < 5; n++) {
            Http.Response response = send("while cut " + n);
            assertThat(response.status()).as(response.text()).isIn(201, 503);
            if (response.status() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
                assertThat(response.error()).contains("nothing was written");
            } else {
                accepted.add("while cut " + n);
            }
        }
        assertThat(send("after").status()).isEqualTo(201);
        accepted.add("after");

        Http.Response inbox = relay.http().get("/api/messages?for=alice");
        assertThat(inbox.status()).as(inbox.text()).isEqualTo(200);
        assertThat(inbox.json().get("messages")).extracting(message -> message.get("body").asText())
                .containsExactlyInAnyOrderElementsOf(accepted);
    }

    private Http.Response send(String body) {
        return relay.http().post("/api/messages", Map.of("from", "bob", "to", "alice", "body", body));
    }
}
