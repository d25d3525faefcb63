package io.agentrelay.cli.bench;

import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.MessageKind;
import io.agentrelay.server.store.NewMessage;
import io.agentrelay.server.store.SqliteStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fills a SQLite store with history for the start-up scenario, through the store itself (its bulk
 * import: each message with the {@code message.new} event a send appends), so the rows are what
 * the relay writes, whatever its schema becomes. The relay must not be running on the file.
 */
final class StoreFill {
    /** Messages per transaction: large enough that commits cost little, small enough to hold in memory. */
    private static final int PER_TRANSACTION = 10_000;

    private StoreFill() {
    }

    /** Imports {@code count} chat messages to 100 agents; returns the milliseconds it took. */
    static long fill(Path database, int count) throws Exception {
        long start = System.nanoTime();
        try (SqliteStore store = SqliteStore.open(SqliteStore.Settings.defaults(database), events -> { })) {
            long now = System.currentTimeMillis();
            for (int first = 0; first < count; first += PER_TRANSACTION) {
                List<NewMessage> batch = new ArrayList<>(PER_TRANSACTION);
                for (int i = first; i < Math.min(count, first + PER_TRANSACTION); i++) {
                    batch.add(new NewMessage("bench", "agent-" + (i % 100), MessageKind.CHAT, null,
                            "history message " + i + " with a body of a typical length for an agent note", null, null,
                            false, null, Map.of(), Map.of(), null, null, DeliveryStatus.DELIVERED, null, now));
                }
                store.write(tx -> tx.importMessages(batch)).get(5, TimeUnit.MINUTES);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
