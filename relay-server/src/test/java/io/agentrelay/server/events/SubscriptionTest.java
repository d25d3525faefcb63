package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.store.SqliteStore;
import io.agentrelay.server.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A subscription's replay-then-live hand-over, on a real store and bus, with the race made deterministic. */
class SubscriptionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final EventBus bus = new EventBus();
    private final ExecutorService laneThread = Executors.newSingleThreadExecutor();
    private final LogTailer tailer = new LogTailer(bus, Duration.ofSeconds(1), Executors.newSingleThreadScheduledExecutor());
    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(SqliteStore.Settings.defaults(dir.resolve("relay.db")), tailer);
        tailer.start(store);
    }

    @AfterEach
    void close() {
        laneThread.shutdownNow();
        store.close();
        tailer.close();
    }

    @Test
    void anEventCommittedWhileTheStreamTakesItsSnapshotIsDeliveredExactlyOnce() {
        for (int i = 0; i < 100; i++) {
            appendOne(store);
        }
        // The snapshot step commits event 101 and still answers 100, the high-water mark it read
        // first: event 101 lands between "read the mark" and whatever the subscription does next.
        LogHead racing = new CommitsDuringSnapshot(store, tailer);
        RecordingSink sink = new RecordingSink();
        EventBus.Lane lane = bus.lane(this, laneThread);
        Subscription subscription = new Subscription(store, racing, lane, sink, 98, StreamFilter.of(Set.of(), null),
                500, 10_000);

        laneThread.execute(subscription::start);
        List<Long> received = sink.take(2);
        appendOne(store);
        received.addAll(sink.take(2));

        assertThat(received).containsExactly(99L, 100L, 101L, 102L);
        assertThat(sink.ids).as("nothing more arrived").isEmpty();
    }

    private static void appendOne(Store target) {
        target.write(tx -> tx.append(EventType.ACTIVITY_REPORTED, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1)).join();
    }

    /** A log head whose first reading commits one more event, then answers the position it read before. */
    private static final class CommitsDuringSnapshot implements LogHead {
        private final Store store;
        private final LogHead delegate;
        private boolean raced;

        CommitsDuringSnapshot(Store store, LogHead delegate) {
            this.store = store;
            this.delegate = delegate;
        }

        @Override
        public long position() {
            long mark = delegate.position();
            if (!raced) {
                raced = true;
                appendOne(store);
            }
            return mark;
        }
    }

    private static final class RecordingSink implements Subscription.Sink {
        final LinkedBlockingQueue<Long> ids = new LinkedBlockingQueue<>();

        /** The next {@code count} event ids written, waiting for each; an id missing is a test failure. */
        List<Long> take(int count) {
            List<Long> taken = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                try {
                    Long id = ids.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(id).as("event %d of %d after %s", i + 1, count, taken).isNotNull();
                    taken.add(id);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return taken;
        }

        @Override
        public boolean write(Published event) {
            ids.add(event.id());
            return true;
        }

        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void whenWritable(Runnable then) {
            then.run();
        }

        @Override
        public void close(io.agentrelay.server.events.StreamEnd end) {
        }
    }
}
