package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.store.EventQuery;
import io.agentrelay.server.store.PostgresStore;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The log tailer of one node while two nodes write to one PostgreSQL database: this node's own
 * commits and the other node's (woken by NOTIFY) reach the bus in id order, each exactly once.
 */
@Tag("postgresql")
class LogTailerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final EventBus bus = new EventBus();
    private final ExecutorService laneThread = Executors.newSingleThreadExecutor();
    /** A poll far slower than the test: the other node's events must come by notification. */
    private final java.util.concurrent.ScheduledExecutorService tailerThread = Executors.newSingleThreadScheduledExecutor();
    private final LogTailer tailer = new LogTailer(bus, Duration.ofMinutes(10), tailerThread);
    private final List<Store> stores = new ArrayList<>();
    /** The ids this node's bus published, in order. */
    private final LinkedBlockingQueue<Long> published = new LinkedBlockingQueue<>();
    /** This node, whose tailer feeds the bus, and another node on the same database. */
    private Store here;
    private Store there;

    @AfterEach
    void close() {
        tailer.close();
        stores.forEach(Store::close);
        laneThread.shutdownNow();
    }

    @Test
    void bothNodesEventsReachThisNodesBusInIdOrderExactlyOnce() throws Exception {
        twoNodes();

        // Interleaved writers on both nodes; some groups roll back and leave holes in the ids.
        List<CompletableFuture<Object>> writes = new ArrayList<>();
        try (ExecutorService writers = Executors.newFixedThreadPool(4)) {
            for (int n = 0; n < 200; n++) {
                Store node = n % 2 == 0 ? here : there;
                boolean rollBack = n % 17 == 0;
                writes.add(CompletableFuture.supplyAsync(() -> node.write(tx -> {
                    tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of("n", 1), 1);
                    if (rollBack) {
                        throw new IllegalStateException("rolled back");
                    }
                    return null;
                }), writers).thenCompose(write -> write).exceptionally(error -> null));
            }
        }
        writes.forEach(CompletableFuture::join);

        List<Long> committed = here.read(reads -> reads.events(EventQuery.after(0, 1_000))).get()
                .stream().map(Event::id).toList();
        assertThat(committed).hasSize(200 - 12);
        List<Long> received = new ArrayList<>();
        while (received.size() < committed.size()) {
            Long id = published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(id).as("event %d of %d on the bus (got %s)", received.size() + 1, committed.size(), received)
                    .isNotNull();
            received.add(id);
        }
        assertThat(received).containsExactlyElementsOf(committed);
        assertThat(tailer.position()).isEqualTo(committed.get(committed.size() - 1));
    }

    /**
     * This node commits right after another node did, before its tailer has read the other's
     * commit (its thread is held): publishing this node's batch from memory would move the cursor
     * past the other's event for good. It must read the gap first.
     */
    @Test
    void thisNodesCommitAfterAnUnreadCommitOfAnotherNodeIsPublishedAfterIt() throws Exception {
        twoNodes();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        tailerThread.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        long theirs = there.write(tx -> tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1).id()).get();
        long ours = here.write(tx -> tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1).id()).get();
        release.countDown();

        assertThat(published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(theirs);
        assertThat(published.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(ours);
    }

    private void twoNodes() throws Exception {
        String url = TestPostgres.newDatabase();
        here = open(url, "here", tailer);
        there = open(url, "there", events -> { });
        tailer.start(here);
        EventBus.Lane lane = bus.lane(this, laneThread);
        laneThread.submit(() -> lane.add(events -> events.forEach(event -> published.add(event.id())))).get();
    }

    private Store open(String url, String node, io.agentrelay.server.store.EventSink sink) {
        Store store = PostgresStore.open(PostgresStore.Settings.of(url, null, null, node), sink);
        stores.add(store);
        return store;
    }
}
