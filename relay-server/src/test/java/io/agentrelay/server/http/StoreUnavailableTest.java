package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
 * A store that cannot take a write right now (here: locked by another connection) is a 503 with
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

    private Http.Response send(String body) {
        return relay.http().post("/api/messages", Map.of("from", "bob", "to", "alice", "body", body));
    }
}
