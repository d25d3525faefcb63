package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A SQLite file with a damaged page is refused at start with how to recover, or reported once found. */
class IntegrityCheckTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void aDamagedStoreIsRefusedAtOpeningWithHowToRecover() throws Exception {
        Path file = damagedStore();

        assertThatThrownBy(() -> SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { }))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("the SQLite store at " + file + " is damaged")
                .hasMessageContaining(".dump")
                .hasMessageContaining("AGENT_RELAY_DB=" + file + ".recovered");
    }

    @Test
    void damageFoundAfterStartUpMakesTheStoreReportItAsItsProblem() throws Exception {
        Path file = damagedStore();
        // No time before start-up: the whole check runs in the background.
        SqliteStore.Settings settings = new SqliteStore.Settings(file, 2, 512, Duration.ZERO, Duration.ZERO);

        try (SqliteStore store = SqliteStore.open(settings, events -> { })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (store.writeProblem() == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }

            assertThat(store.writeProblem()).isNotNull().contains("is damaged").contains(".dump");
        }
    }

    @Test
    void aSoundStoreOpensAgainAfterItsCheck() throws Exception {
        Path file = dir.resolve("sound.db");
        fill(file);

        try (SqliteStore store = SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { })) {
            assertThat(store.read(reads -> reads.counts().messages()).join()).isEqualTo(2_000);
            assertThat(store.writeProblem()).isNull();
        }
    }

    /** A store with messages in it, closed, then one page in the middle of the file overwritten. */
    private Path damagedStore() throws IOException {
        Path file = dir.resolve("relay.db");
        fill(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long pages = channel.size() / PAGE;
            byte[] garbage = new byte[PAGE];
            Arrays.fill(garbage, (byte) 0x5a);
            channel.write(ByteBuffer.wrap(garbage), (pages / 2) * PAGE);
            channel.force(true);
        }
        return file;
    }

    private static void fill(Path file) {
        try (SqliteStore store = SqliteStore.open(SqliteStore.Settings.defaults(file), events -> { })) {
            store.write(tx -> {
                for (int n = 0; n < 2_000; n++) {
                    tx.insertMessage(StoreContract.draft("bob", "alice").body("message " + n + " " + "x".repeat(200))
                            .build());
                }
                return null;
            }).join();
        }
    }
}
