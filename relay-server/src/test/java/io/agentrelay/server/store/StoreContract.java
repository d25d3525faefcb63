package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.ChannelBinding;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.ApprovalMode;
import io.agentrelay.api.Command;
import io.agentrelay.api.CommandStatus;
import io.agentrelay.api.CommandType;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Json;
import io.agentrelay.api.ManagedAgent;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.api.PolicyState;
import io.agentrelay.api.PolicyStatus;
import io.agentrelay.api.OrchestratorStatus;
import io.agentrelay.api.Provider;
import io.agentrelay.api.Severity;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.model.Audience;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.store.Reads.Counts;
import io.agentrelay.server.store.Reads.ReadMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, written only against {@link Store}, {@link Reads} and
 * {@link Tx}. An implementation's test extends this class and says how to open its database; the
 * SQLite store and the PostgreSQL store run the same suite.
 */
public abstract class StoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected static final MessageQuery EVERYTHING = new MessageQuery(0, 0, 1_000, null, null, false);

    /** Alice has a label, two tags, two capabilities and nested meta, so a round trip covers every column. */
    protected static final AgentCard ALICE = new AgentCard("alice", "Alice", AgentKind.PROVIDER, "lead",
            List.of("review", "java-team"), List.of("java", "sql"), AgentStatus.ONLINE, true, "box-1", "inst-a", 3,
            Map.of("model", "m1", "limits", Map.of("tokens", 100), "tools", List.of("git", "mvn"), "beta", true),
            1_000, 2_000, 3_000);

    protected final RecordingSink sink = new RecordingSink();
    protected Store store;

    /**
     * Opens this test's database, creating it empty on the first call. Called again after the
     * previous store was closed, it must open the same data again (a restart).
     */
    protected abstract Store open(EventSink sink);

    @BeforeEach
    void openStore() {
        store = open(sink);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Closes the store and opens the same database again, as a restart of the relay would. */
    protected final void reopen() {
        store.close();
        store = open(sink);
    }

    // ---- agents ----

    @Test
    void aSavedAgentReadsBackWithEveryField() {
        writes().saveAgent(ALICE);

        assertThat(reads().agent("alice")).contains(ALICE);
        assertThat(reads().agent("nobody")).isEmpty();
    }

    @Test
    void savingAnAgentAgainReplacesItsFields() {
        writes().saveAgent(ALICE);
        AgentCard changed = new AgentCard("alice", "Alice II", AgentKind.ORCHESTRATOR, null, List.of("ops"),
                List.of(), AgentStatus.BUSY, false, null, "inst-b", 4, Map.of("model", "m2"), ALICE.createdAt(),
                5_000, 6_000);

        writes().saveAgent(changed);

        assertThat(reads().agents(AgentQuery.ALL)).containsExactly(changed);
    }

    @Test
    void touchingAnAgentSetsItsStatusAndTimesOnly() {
        writes().saveAgent(ALICE);

        assertThat(writes().touchAgent("alice", AgentStatus.STALE, 7_000, 8_000)).isTrue();
        assertThat(writes().touchAgent("nobody", AgentStatus.ONLINE, 7_000, 8_000)).isFalse();

        AgentCard touched = reads().agent("alice").orElseThrow();
        assertThat(touched).isEqualTo(new AgentCard(ALICE.id(), ALICE.name(), ALICE.kind(), ALICE.label(), ALICE.tags(),
                ALICE.capabilities(), AgentStatus.STALE, ALICE.ready(), ALICE.machine(), ALICE.instanceId(),
                ALICE.epoch(), ALICE.meta(), ALICE.createdAt(), 7_000, 8_000));
        assertThat(reads().agent("nobody")).isEmpty();
    }

    @Test
    void agentsAreListedByIdAndFilteredByStatusKindTagAndCapability() {
        AgentCard carol = card("carol", AgentKind.CHANNEL, AgentStatus.OFFLINE, List.of("ops"), List.of("sql"), 1_000);
        AgentCard bob = card("bob", AgentKind.PROVIDER, AgentStatus.IDLE, List.of("review-board"), List.of(), 1_000);
        useTransaction(tx -> {
            tx.saveAgent(carol);
            tx.saveAgent(ALICE);
            tx.saveAgent(bob);
        });

        assertThat(agentIds(AgentQuery.ALL)).containsExactly("alice", "bob", "carol");
        assertThat(agentIds(new AgentQuery(AgentStatus.OFFLINE, null, null, null))).containsExactly("carol");
        assertThat(agentIds(new AgentQuery(null, AgentKind.PROVIDER, null, null))).containsExactly("alice", "bob");
        // A tag matches whole: "review" is not a prefix match for "review-board".
        assertThat(agentIds(new AgentQuery(null, null, "review", null))).containsExactly("alice");
        assertThat(agentIds(new AgentQuery(null, null, null, "sql"))).containsExactly("alice", "carol");
        assertThat(agentIds(new AgentQuery(AgentStatus.ONLINE, AgentKind.PROVIDER, "review", "java")))
                .containsExactly("alice");
        assertThat(agentIds(new AgentQuery(AgentStatus.IDLE, null, "review", null))).isEmpty();
    }

    @Test
    void theTagAndCapabilityFiltersFollowEveryChangeToAnAgent() {
        useTransaction(tx -> tx.saveAgent(card("dora", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of("ops", "ops"),
                List.of("java"), 1_000)));
        assertThat(agentIds(new AgentQuery(null, null, "ops", null))).containsExactly("dora");

        // Tags replaced: the old tag stops matching, the new one starts; capabilities likewise.
        useTransaction(tx -> tx.saveAgent(card("dora", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of("db"),
                List.of("sql"), 2_000)));
        assertThat(agentIds(new AgentQuery(null, null, "ops", null))).isEmpty();
        assertThat(agentIds(new AgentQuery(null, null, "db", null))).containsExactly("dora");
        assertThat(agentIds(new AgentQuery(null, null, null, "java"))).isEmpty();
        assertThat(agentIds(new AgentQuery(null, null, null, "sql"))).containsExactly("dora");
        // A tag is not a capability.
        assertThat(agentIds(new AgentQuery(null, null, "sql", null))).isEmpty();

        // A save that keeps them (a heartbeat) keeps them matching; a deleted agent matches nothing.
        useTransaction(tx -> tx.saveAgent(card("dora", AgentKind.PROVIDER, AgentStatus.IDLE, List.of("db"),
                List.of("sql"), 3_000)));
        assertThat(agentIds(new AgentQuery(null, null, "db", "sql"))).containsExactly("dora");
        writes().deleteAgent("dora");
        useTransaction(tx -> tx.saveAgent(card("eve", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(),
                4_000)));
        assertThat(agentIds(new AgentQuery(null, null, "db", null))).isEmpty();
        assertThat(agentIds(new AgentQuery(null, null, null, "sql"))).isEmpty();
    }

    @Test
    void agentsArePagedByIdAfterACursor() {
        useTransaction(tx -> {
            for (String id : List.of("d", "a", "e", "c", "b")) {
                tx.saveAgent(card(id, AgentKind.PROVIDER, AgentStatus.ONLINE, List.of("t"), List.of(), 1_000));
            }
        });

        assertThat(agentIds(new AgentQuery(null, null, null, null, null, 2))).containsExactly("a", "b");
        assertThat(agentIds(new AgentQuery(null, null, "t", null, "b", 2))).containsExactly("c", "d");
        assertThat(agentIds(new AgentQuery(null, null, null, null, "d", 2))).containsExactly("e");
        assertThat(agentIds(new AgentQuery(null, null, null, null, "e", 2))).isEmpty();
        assertThat(agentIds(new AgentQuery(null, null, null, null, "bb", 0))).containsExactly("c", "d", "e");
    }

    @Test
    void agentsSilentSinceListsAgentsOfAnyStatusLastSeenBeforeTheCutoff() {
        useTransaction(tx -> {
            tx.saveAgent(card("a", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 100));
            tx.saveAgent(card("b", AgentKind.PROVIDER, AgentStatus.OFFLINE, List.of(), List.of(), 200));
            tx.saveAgent(card("c", AgentKind.PROVIDER, AgentStatus.STALE, List.of(), List.of(), 300));
        });

        assertThat(writes().agentsSilentSince(100)).isEmpty();
        assertThat(writes().agentsSilentSince(200)).extracting(AgentCard::id).containsExactly("a");
        assertThat(writes().agentsSilentSince(301)).extracting(AgentCard::id)
                .containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void deletingAnAgentRemovesItAndItsReadMarks() {
        AgentCard bob = card("bob", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 1_000);
        useTransaction(tx -> {
            tx.saveAgent(ALICE);
            tx.saveAgent(bob);
        });
        Message message = insert(draft("carol", "broadcast"));
        useTransaction(tx -> {
            tx.markRead(message.id(), "alice", 10);
            tx.markRead(message.id(), "bob", 11);
        });

        assertThat(writes().deleteAgent("alice")).isTrue();
        assertThat(writes().deleteAgent("alice")).isFalse();

        assertThat(reads().agent("alice")).isEmpty();
        assertThat(reads().agents(AgentQuery.ALL)).containsExactly(bob);
        assertThat(reads().readMarks(message.id())).containsExactly(new ReadMark("bob", 11));
    }

    // ---- messages ----

    @Test
    void anInsertedMessageReadsBackWithEveryField() {
        Map<String, Object> meta = Map.of("priority", "high", "attempt", 2);
        Map<String, Object> payload = Map.of("files", List.of("A.java", "B.java"), "nested", Map.of("ok", true));
        NewMessage full = new NewMessage("bob", "tag:review", MessageKind.TASK, "a subject", "the body", null, null,
                true, "key-1", meta, payload, "ops", 3_600, DeliveryStatus.DELIVERED, null, 12_345);

        Message inserted = writes().insertMessage(full);

        assertThat(inserted.id()).isPositive();
        assertThat(inserted).isEqualTo(new Message(inserted.id(), "bob", "tag:review", MessageKind.TASK,
                "a subject", "the body", null, inserted.id(), true, null, null, null, "key-1", meta, payload, "ops",
                3_600, DeliveryStatus.DELIVERED, null, 12_345, null));
        assertThat(reads().message(inserted.id())).contains(inserted);
        assertThat(reads().message(inserted.id() + 1)).isEmpty();
    }

    @Test
    void messageIdsIncreaseAndRepliesJoinTheirParentsThread() {
        Message root = insert(draft("alice", "bob"));
        Message unrelated = insert(draft("carol", "dave"));
        Message reply = insert(draft("bob", "alice").replyingTo(root));
        Message replyToReply = insert(draft("alice", "bob").replyingTo(reply));

        assertThat(List.of(root.id(), unrelated.id(), reply.id(), replyToReply.id())).isSorted()
                .doesNotHaveDuplicates();
        assertThat(root.threadId()).isEqualTo(root.id());
        assertThat(unrelated.threadId()).isEqualTo(unrelated.id());
        assertThat(reads().message(reply.id())).hasValueSatisfying(stored -> {
            assertThat(stored.replyTo()).isEqualTo(root.id());
            assertThat(stored.threadId()).isEqualTo(root.id());
        });
        assertThat(reads().message(replyToReply.id())).hasValueSatisfying(stored -> {
            assertThat(stored.replyTo()).isEqualTo(reply.id());
            assertThat(stored.threadId()).isEqualTo(root.id());
        });
        assertThat(reads().thread(root.id())).containsExactly(root, reply, replyToReply);
        assertThat(reads().thread(unrelated.id())).containsExactly(unrelated);
    }

    @Test
    void anIdempotencyKeyFindsOnlyItsSendersMessage() {
        Message bobs = insert(draft("bob", "alice").key("k1"));
        Message carols = insert(draft("carol", "alice").key("k1"));
        insert(draft("bob", "alice"));

        assertThat(reads().messageByIdempotencyKey("bob", "k1")).contains(bobs);
        assertThat(reads().messageByIdempotencyKey("carol", "k1")).contains(carols);
        assertThat(reads().messageByIdempotencyKey("bob", "k2")).isEmpty();
        assertThat(reads().messageByIdempotencyKey("dave", "k1")).isEmpty();
    }

    // ---- inbox and cursor ----

    @Test
    void theInboxHoldsMessagesToEveryTargetThatReachesTheAgentOldestFirst() {
        writes().saveAgent(ALICE);
        Message direct = insert(draft("bob", "alice"));
        insert(draft("bob", "bob"));
        Message broadcast = insert(draft("bob", "broadcast"));
        Message tag = insert(draft("bob", "tag:review"));
        insert(draft("bob", "tag:ops"));
        Message capability = insert(draft("bob", "cap:java"));
        insert(draft("bob", "cap:go"));
        // Alice has the capability java, not the tag java: the kind of target matters.
        insert(draft("bob", "tag:java"));
        Message label = insert(draft("bob", "label:lead"));
        insert(draft("bob", "label:alice"));

        List<Message> inbox = reads().inbox(Audience.of(ALICE), EVERYTHING);

        assertThat(inbox).extracting(Message::id)
                .containsExactly(direct.id(), broadcast.id(), tag.id(), capability.id(), label.id());
        assertThat(inbox.get(0)).isEqualTo(direct.withRead(false));
    }

    @Test
    void theInboxLeavesOutTheAgentsOwnMessagesUnlessAddressedToItDirectly() {
        writes().saveAgent(ALICE);
        Message toSelf = insert(draft("alice", "alice"));
        insert(draft("alice", "broadcast"));
        insert(draft("alice", "tag:review"));
        Message fromBob = insert(draft("bob", "broadcast"));

        assertThat(inboxIds(Audience.of(ALICE), EVERYTHING)).containsExactly(toSelf.id(), fromBob.id());
    }

    @Test
    void theInboxPagesBySinceAndLimit() {
        List<Long> ids = IntStream.range(0, 5).mapToObj(n -> insert(draft("bob", "alice")).id()).toList();
        Audience alice = Audience.unregistered("alice");

        assertThat(inboxIds(alice, page(0, 2))).containsExactly(ids.get(0), ids.get(1));
        assertThat(inboxIds(alice, page(ids.get(1), 2))).containsExactly(ids.get(2), ids.get(3));
        assertThat(inboxIds(alice, page(ids.get(3), 2))).containsExactly(ids.get(4));
        assertThat(inboxIds(alice, page(ids.get(4), 2))).isEmpty();
    }

    @Test
    void theInboxFiltersByChannelAndKind() {
        insert(draft("bob", "alice"));
        Message opsChat = insert(draft("bob", "alice").channel("ops"));
        Message opsTask = insert(draft("bob", "alice").channel("ops").kind(MessageKind.TASK));
        Message task = insert(draft("bob", "alice").kind(MessageKind.TASK));
        insert(draft("bob", "alice").channel("dev"));
        Audience alice = Audience.unregistered("alice");

        assertThat(inboxIds(alice, new MessageQuery(0, 0, 100, "ops", null, false)))
                .containsExactly(opsChat.id(), opsTask.id());
        assertThat(inboxIds(alice, new MessageQuery(0, 0, 100, null, MessageKind.TASK, false)))
                .containsExactly(opsTask.id(), task.id());
        assertThat(inboxIds(alice, new MessageQuery(0, 0, 100, "ops", MessageKind.TASK, false)))
                .containsExactly(opsTask.id());
    }

    @Test
    void theInboxCarriesEachAgentsOwnReadFlagAndUnreadOnlyHidesWhatTheAgentRead() {
        AgentCard bob = card("bob", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 1_000);
        Message first = insert(draft("carol", "broadcast"));
        Message second = insert(draft("carol", "broadcast"));
        Message third = insert(draft("carol", "broadcast"));
        writes().markRead(second.id(), "alice", 50);

        assertThat(reads().inbox(Audience.of(ALICE), EVERYTHING)).extracting(Message::read)
                .containsExactly(false, true, false);
        assertThat(inboxIds(Audience.of(ALICE), new MessageQuery(0, 0, 100, null, null, true)))
                .containsExactly(first.id(), third.id());
        assertThat(reads().inbox(Audience.of(bob), EVERYTHING)).extracting(Message::read)
                .containsExactly(false, false, false);
    }

    @Test
    void messagesNotYetDeliveredStayOutOfTheInboxAndTheCursor() {
        insert(draft("bob", "alice").status(DeliveryStatus.QUEUED));
        insert(draft("bob", "alice").status(DeliveryStatus.EXPIRED));
        Message delivered = insert(draft("bob", "alice"));
        insert(draft("bob", "alice").status(DeliveryStatus.QUEUED));
        Audience alice = Audience.unregistered("alice");

        assertThat(inboxIds(alice, EVERYTHING)).containsExactly(delivered.id());
        assertThat(reads().cursor(alice)).isEqualTo(delivered.id());
    }

    @Test
    void theCursorIsTheHighestIdTheInboxCouldReturn() {
        writes().saveAgent(ALICE);
        Audience alice = Audience.of(ALICE);
        assertThat(reads().cursor(alice)).isZero();

        insert(draft("bob", "bob"));
        assertThat(reads().cursor(alice)).isZero();

        Message tagged = insert(draft("bob", "tag:review"));
        insert(draft("alice", "broadcast"));
        insert(draft("bob", "tag:ops"));
        assertThat(reads().cursor(alice)).isEqualTo(tagged.id());

        Message toSelf = insert(draft("alice", "alice"));
        assertThat(reads().cursor(alice)).isEqualTo(toSelf.id());
        List<Long> inbox = inboxIds(alice, EVERYTHING);
        assertThat(inbox.get(inbox.size() - 1)).isEqualTo(toSelf.id());
    }

    // ---- recent ----

    @Test
    void recentListsEveryMessageNewestFirstAndPagesWithBefore() {
        Message m1 = insert(draft("bob", "alice"));
        Message m2 = insert(draft("carol", "dave").channel("ops"));
        Message m3 = insert(draft("alice", "broadcast"));
        Message m4 = insert(draft("dave", "carol").channel("ops").kind(MessageKind.TASK));
        Message m5 = insert(draft("bob", "alice"));

        assertThat(reads().recent(EVERYTHING)).containsExactly(m5, m4, m3, m2, m1);
        assertThat(recentIds(new MessageQuery(0, m4.id(), 2, null, null, false))).containsExactly(m3.id(), m2.id());
        assertThat(recentIds(new MessageQuery(m3.id(), 0, 100, null, null, false))).containsExactly(m5.id(), m4.id());
        assertThat(recentIds(new MessageQuery(0, 0, 100, "ops", null, false))).containsExactly(m4.id(), m2.id());
        assertThat(recentIds(new MessageQuery(0, 0, 100, null, MessageKind.TASK, false))).containsExactly(m4.id());
        assertThat(recentIds(new MessageQuery(0, 0, 2, null, null, false))).containsExactly(m5.id(), m4.id());
    }

    // ---- read marks ----

    @Test
    void markingReadIsIdempotentAndKeepsTheFirstReadTime() {
        Message message = insert(draft("carol", "broadcast"));
        Message other = insert(draft("carol", "broadcast"));

        assertThat(writes().markRead(message.id(), "alice", 100)).isTrue();
        assertThat(writes().markRead(message.id(), "alice", 200)).isFalse();
        assertThat(writes().markRead(message.id(), "bob", 150)).isTrue();

        assertThat(reads().readMarks(message.id()))
                .containsExactlyInAnyOrder(new ReadMark("alice", 100), new ReadMark("bob", 150));
        assertThat(reads().readMarks(other.id())).isEmpty();
    }

    // ---- claims ----

    @Test
    void aClaimIsSetAndClearedWithoutTouchingTheRestOfTheMessage() {
        Message message = insert(draft("bob", "tag:review").claimable());

        writes().updateClaim(message.id(), "alice", 100L, 400L);
        assertThat(reads().message(message.id())).contains(message.withClaim("alice", 100L, 400L));

        writes().updateClaim(message.id(), null, null, null);
        assertThat(reads().message(message.id())).contains(message);
    }

    @Test
    void claimsToReleaseAreExpiredClaimsAndClaimsOfOfflineOrDeletedHolders() {
        useTransaction(tx -> {
            tx.saveAgent(card("alice", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 1_000));
            tx.saveAgent(card("sam", AgentKind.PROVIDER, AgentStatus.STALE, List.of(), List.of(), 1_000));
            tx.saveAgent(card("carol", AgentKind.PROVIDER, AgentStatus.OFFLINE, List.of(), List.of(), 1_000));
            tx.saveAgent(card("dave", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 1_000));
        });
        Message expiring = claimed("alice", 1_000);
        claimed("sam", 10_000);
        Message offlineHolder = claimed("carol", 10_000);
        Message neverRegistered = claimed("ghost", 10_000);
        Message deletedHolder = claimed("dave", 10_000);
        insert(draft("bob", "tag:review").claimable());

        assertThat(writes().claimsToRelease(999)).extracting(Message::id)
                .containsExactlyInAnyOrder(offlineHolder.id(), neverRegistered.id());

        writes().deleteAgent("dave");
        assertThat(writes().claimsToRelease(999)).extracting(Message::id)
                .containsExactlyInAnyOrder(offlineHolder.id(), neverRegistered.id(), deletedHolder.id());

        // A claim expiring exactly now is due.
        List<Message> due = writes().claimsToRelease(1_000);
        assertThat(due).extracting(Message::id).containsExactlyInAnyOrder(expiring.id(), offlineHolder.id(),
                neverRegistered.id(), deletedHolder.id());
        assertThat(due).filteredOn(m -> m.id() == expiring.id()).singleElement()
                .isEqualTo(expiring);
    }

    // ---- deletes and retention ----

    @Test
    void deletingAMessageRemovesItAndItsReadMarks() {
        Message doomed = insert(draft("bob", "broadcast"));
        Message kept = insert(draft("bob", "broadcast"));
        useTransaction(tx -> {
            tx.markRead(doomed.id(), "alice", 10);
            tx.markRead(kept.id(), "alice", 10);
        });

        assertThat(writes().deleteMessage(doomed.id())).isTrue();
        assertThat(writes().deleteMessage(doomed.id())).isFalse();

        assertThat(reads().message(doomed.id())).isEmpty();
        assertThat(reads().readMarks(doomed.id())).isEmpty();
        assertThat(reads().readMarks(kept.id())).containsExactly(new ReadMark("alice", 10));
        assertThat(reads().recent(EVERYTHING)).containsExactly(kept);
    }

    @Test
    void pruningDeletesOldMessagesAndEventsInBatchesAndSaysHowManyWent() {
        List<Message> old = IntStream.range(0, 5).mapToObj(n -> insert(draft("bob", "alice").createdAt(100 + n)))
                .toList();
        Message atCutoff = insert(draft("bob", "alice").createdAt(500));
        Message recent = insert(draft("bob", "alice").createdAt(900));
        for (Message message : old) {
            writes().markRead(message.id(), "alice", 950);
        }
        IntStream.range(0, 3).forEach(n -> append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100 + n));
        Event eventAtCutoff = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 500);
        Event recentEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 900);

        // Batches of two: 2 messages + 2 events, then 2 + 1, then 1 + 0, then nothing is left to prune.
        assertThat(writes().pruneBefore(500, 2)).isEqualTo(4);
        assertThat(writes().pruneBefore(500, 2)).isEqualTo(3);
        assertThat(writes().pruneBefore(500, 2)).isEqualTo(1);
        assertThat(writes().pruneBefore(500, 2)).isZero();

        assertThat(recentIds(EVERYTHING)).containsExactly(recent.id(), atCutoff.id());
        assertThat(reads().events(EventQuery.after(0, 100))).extracting(Event::id)
                .containsExactly(eventAtCutoff.id(), recentEvent.id());
        for (Message message : old) {
            assertThat(reads().readMarks(message.id())).isEmpty();
        }
        Counts counts = reads().counts();
        assertThat(counts.messages()).isEqualTo(2);
        assertThat(counts.events()).isEqualTo(2);
    }

    @Test
    void pruningGoesOldestIdFirstAndNeverPastARowYoungerThanTheCutoff() {
        Message old = insert(draft("bob", "alice").createdAt(100));
        Message young = insert(draft("bob", "alice").createdAt(900));
        // Written while the clock stood further back: older by its time, newer by its id.
        Message backdated = insert(draft("bob", "alice").createdAt(200));
        Event oldEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);
        Event youngEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 900);
        Event backdatedEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 200);

        assertThat(writes().pruneBefore(500, 100)).isEqualTo(2);
        assertThat(writes().pruneBefore(500, 100)).isZero();

        assertThat(recentIds(EVERYTHING)).containsExactly(backdated.id(), young.id()).doesNotContain(old.id());
        assertThat(eventIds(EventQuery.after(0, 100))).containsExactly(youngEvent.id(), backdatedEvent.id())
                .doesNotContain(oldEvent.id());
        // Once the younger rows before it age out, it goes too.
        assertThat(writes().pruneBefore(1_000, 100)).isEqualTo(4);
    }

    @Test
    void idsAreNeverReusedAfterPruningEmptiesTheTablesEvenAcrossARestart() {
        insert(draft("bob", "alice").createdAt(100));
        Message lastMessage = insert(draft("bob", "alice").createdAt(100));
        append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);
        Event lastEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);

        assertThat(writes().pruneBefore(Long.MAX_VALUE, 100)).isEqualTo(4);
        Message next = insert(draft("bob", "alice").createdAt(100));
        Event nextEvent = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);
        assertThat(next.id()).isGreaterThan(lastMessage.id());
        assertThat(nextEvent.id()).isGreaterThan(lastEvent.id());

        assertThat(writes().pruneBefore(Long.MAX_VALUE, 100)).isEqualTo(2);
        reopen();
        assertThat(insert(draft("bob", "alice")).id()).isGreaterThan(next.id());
        assertThat(append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100).id()).isGreaterThan(nextEvent.id());
    }

    @Test
    void theIdOfADeletedNewestMessageIsNotGivenOutAgainEvenAcrossARestart() {
        insert(draft("bob", "alice"));
        Message newest = insert(draft("bob", "alice"));
        assertThat(writes().deleteMessage(newest.id())).isTrue();

        Message next = insert(draft("bob", "alice"));
        assertThat(next.id()).isGreaterThan(newest.id());
        assertThat(writes().deleteMessage(next.id())).isTrue();
        reopen();
        assertThat(insert(draft("bob", "alice")).id()).isGreaterThan(next.id());
    }

    @Test
    void importedMessagesAreStoredInOrderEachWithTheMessageNewEventASendAppends() {
        NewMessage toChannel = draft("bob", "tag:ops").channel("ops").createdAt(5_000).build();
        NewMessage direct = draft("carol", "alice").createdAt(6_000).build();
        NewMessage claimable = draft("bob", "cap:java").claimable().createdAt(7_000).build();

        List<Message> imported = inTransaction(tx -> tx.importMessages(List.of(toChannel, direct, claimable)));

        assertThat(imported).extracting(Message::id).isSorted().doesNotHaveDuplicates();
        assertThat(imported).extracting(Message::from, Message::to, Message::channel, Message::claimable,
                Message::createdAt).containsExactly(tuple("bob", "tag:ops", "ops", false, 5_000L),
                tuple("carol", "alice", null, false, 6_000L), tuple("bob", "cap:java", null, true, 7_000L));
        assertThat(reads().recent(EVERYTHING)).containsExactlyElementsOf(imported.reversed());
        List<Event> events = reads().events(EventQuery.after(0, 100));
        assertThat(events).extracting(EventView::of).containsExactly(
                new EventView(events.get(0).id(), EventType.MESSAGE_NEW, 5_000, "bob",
                        String.valueOf(imported.get(0).id()), new Event.Scope("tag:ops", "bob", "ops"),
                        asStoredJson(imported.get(0))),
                new EventView(events.get(1).id(), EventType.MESSAGE_NEW, 6_000, "carol",
                        String.valueOf(imported.get(1).id()), new Event.Scope("alice", "carol", null),
                        asStoredJson(imported.get(1))),
                new EventView(events.get(2).id(), EventType.MESSAGE_NEW, 7_000, "bob",
                        String.valueOf(imported.get(2).id()), new Event.Scope("cap:java", "bob", null),
                        asStoredJson(imported.get(2))));
        assertThat(sink.events()).as("published after commit, like any write's events").isEqualTo(events);
    }

    /** {@code value} as JSON read back from text, as event data is (numbers small enough to be ints read as ints). */
    private static JsonNode asStoredJson(Object value) {
        return json(Json.mapper().valueToTree(value).toString());
    }

    @Test
    void anImportThatFailsPartWayLeavesNoMessagesAndNoEvents() {
        NewMessage first = draft("bob", "alice").key("k1").build();
        NewMessage sameKey = draft("bob", "carol").key("k1").build();

        assertThat(store.write(tx -> tx.importMessages(List.of(first, sameKey)))).failsWithin(WAIT);

        assertThat(reads().recent(EVERYTHING)).isEmpty();
        assertThat(reads().events(EventQuery.after(0, 100))).isEmpty();
        assertThat(sink.events()).isEmpty();
    }

    // ---- events ----

    @Test
    void appendedEventsGetIncreasingIdsAndReadBackWithScopeAndData() {
        Event first = writes().append(EventType.MESSAGE_NEW, Event.Origin.of("bob", 7), new Event.Scope("tag:review", "bob", "ops"),
                Map.of("id", 7, "body", "hi", "tags", List.of("a")), 1_000);
        Event second = writes().append(EventType.AGENT_REGISTERED, Event.Origin.server("alice"), Event.Scope.agent("alice"),
                Map.of("id", "alice"), 2_000);
        Event third = writes().append(EventType.MESSAGE_DELETED, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 3_000);

        assertThat(List.of(first.id(), second.id(), third.id())).isSorted().doesNotHaveDuplicates();
        assertThat(List.of(first.source(), first.subject(), second.source(), second.subject()))
                .containsExactly("bob", "7", "server", "alice");
        assertThat(third.subject()).isNull();
        assertThat(json(first.data())).isEqualTo(Json.mapper().valueToTree(
                Map.of("id", 7, "body", "hi", "tags", List.of("a"))));
        assertThat(reads().events(EventQuery.after(0, 100))).extracting(EventView::of)
                .containsExactly(EventView.of(first), EventView.of(second), EventView.of(third));
    }

    @Test
    void eventsAreFilteredByTypeAudienceAndIdRange() {
        Event toAlice = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "bob", null), 1);
        Event toOps = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("tag:ops", "bob", null), 2);
        Event aboutAlice = append(EventType.AGENT_STATUS, Event.Origin.server(null), Event.Scope.agent("alice"), 3);
        Event broadcast = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("broadcast", "carol", null), 4);
        Event aliceRead = append(EventType.MESSAGE_READ, Event.Origin.server(null), new Event.Scope("bob", "alice", null), 5);
        Event aboutBob = append(EventType.AGENT_REGISTERED, Event.Origin.server(null), Event.Scope.agent("bob"), 6);
        Event toJava = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("cap:java", "bob", null), 7);
        Audience alice = Audience.of(ALICE);

        assertThat(eventIds(EventQuery.after(0, 100))).containsExactly(toAlice.id(), toOps.id(), aboutAlice.id(),
                broadcast.id(), aliceRead.id(), aboutBob.id(), toJava.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(EventType.MESSAGE_NEW), null)))
                .containsExactly(toAlice.id(), toOps.id(), broadcast.id(), toJava.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100,
                Set.of(EventType.AGENT_STATUS, EventType.AGENT_REGISTERED), null)))
                .containsExactly(aboutAlice.id(), aboutBob.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(), alice)))
                .containsExactly(toAlice.id(), aboutAlice.id(), broadcast.id(), aliceRead.id(), toJava.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(EventType.MESSAGE_NEW), alice)))
                .containsExactly(toAlice.id(), broadcast.id(), toJava.id());
        assertThat(eventIds(new EventQuery(aboutAlice.id(), aboutBob.id(), 100, Set.of(), null)))
                .containsExactly(broadcast.id(), aliceRead.id(), aboutBob.id());
        assertThat(eventIds(EventQuery.after(0, 2))).containsExactly(toAlice.id(), toOps.id());
        assertThat(eventIds(EventQuery.after(toJava.id(), 100))).isEmpty();
    }

    @Test
    void eventsAreFilteredByChannelAndByAnyOfSeveralAudiences() {
        Event toAliceOnOps = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "bob", "ops"), 1);
        Event toBob = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("bob", "carol", null), 2);
        Event fromDave = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("carol", "dave", "ops"), 3);
        Event aboutDave = append(EventType.AGENT_STATUS, Event.Origin.server(null), Event.Scope.agent("dave"), 4);
        List<Audience> aliceAndDave = List.of(Audience.of(ALICE), Audience.unregistered("dave"));

        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(), Set.of("ops"), null)))
                .containsExactly(toAliceOnOps.id(), fromDave.id());
        // An event's agentId is the agent it is about or that acted (a message's sender), so dave's
        // own message concerns dave.
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(), Set.of(), aliceAndDave)))
                .containsExactly(toAliceOnOps.id(), fromDave.id(), aboutDave.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(), Set.of("ops"), aliceAndDave)))
                .containsExactly(toAliceOnOps.id(), fromDave.id());
        assertThat(eventIds(new EventQuery(0, Long.MAX_VALUE, 100, Set.of(), Set.of(), List.of()))).isEmpty();
        assertThat(toBob.id()).isPositive();
    }

    // ---- counts ----

    @Test
    void countsReportAgentsOnlineAgentsMessagesClaimsAndEvents() {
        assertThat(reads().counts()).isEqualTo(new Counts(0, 0, 0, 0, 0, 0));
        useTransaction(tx -> {
            for (AgentStatus status : AgentStatus.values()) {
                tx.saveAgent(card(status.wire(), AgentKind.PROVIDER, status, List.of(), List.of(), 1_000));
            }
        });
        insert(draft("bob", "alice"));
        insert(draft("bob", "alice"));
        claimed("online", 10_000);
        append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 1);
        Event last = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 2);

        // online, idle and busy count as online; stale and offline do not.
        assertThat(reads().counts()).isEqualTo(new Counts(5, 3, 3, 1, 2, last.id()));
    }

    // ---- write semantics ----

    @Test
    void workThatThrowsLeavesNoRowsAndNoEventsAndFailsWithItsException() {
        RuntimeException boom = new IllegalStateException("boom");

        CompletableFuture<Object> failed = store.write(tx -> {
            tx.saveAgent(ALICE);
            Message message = tx.insertMessage(draft("bob", "alice").build());
            tx.markRead(message.id(), "alice", 1);
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.agent("bob"), Map.of(), 1);
            throw boom;
        });

        assertThat(failed).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isSameAs(boom);
        assertThat(reads().counts()).isEqualTo(new Counts(0, 0, 0, 0, 0, 0));
        assertThat(reads().events(EventQuery.after(0, 100))).isEmpty();
        assertThat(store.lastEventId()).isZero();

        Event next = append(EventType.AGENT_STATUS, Event.Origin.server(null), Event.Scope.agent("alice"), 2);
        assertThat(sink.events()).containsExactly(next);
    }

    @Test
    void workThatThrowsAnErrorFailsAloneAndTheStoreKeepsWriting() {
        AssertionError bug = new AssertionError("a bug in the work");

        CompletableFuture<Object> failed = store.write(tx -> {
            tx.insertMessage(draft("bob", "alice").build());
            throw bug;
        });

        assertThat(failed).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause()
                .isSameAs(bug);
        Message after = insert(draft("bob", "alice"));
        assertThat(reads().recent(EVERYTHING)).containsExactly(after);
    }

    @Test
    void failingWritesInAGroupDoNotDisturbTheWritesCommittedWithThem() throws Exception {
        int writes = 60;
        Map<Integer, CompletableFuture<Message>> futures = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hold = holdWriter(store, release);
        try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < writes; i++) {
                int n = i;
                submitters.execute(() -> futures.put(n, store.write(tx -> {
                    Message message = tx.insertMessage(draft("w" + n, "alice").build());
                    tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "w" + n, null), Map.of("n", n), 1);
                    if (n % 3 == 0) {
                        throw new IllegalStateException("write " + n + " fails");
                    }
                    return message;
                })));
            }
        } finally {
            release.countDown();
        }
        assertThat(hold).succeedsWithin(WAIT);

        List<String> expectedSenders = new ArrayList<>();
        List<Long> committedIds = new ArrayList<>();
        for (int n = 0; n < writes; n++) {
            if (n % 3 == 0) {
                assertThat(futures.get(n)).failsWithin(WAIT);
            } else {
                expectedSenders.add("w" + n);
                committedIds.add(futures.get(n).get(WAIT.toSeconds(), TimeUnit.SECONDS).id());
            }
        }
        assertThat(recentIds(EVERYTHING)).containsExactlyInAnyOrderElementsOf(committedIds);
        List<Event> delivered = sink.events();
        assertThat(delivered).extracting(event -> event.scope().agentId())
                .containsExactlyInAnyOrderElementsOf(expectedSenders);
        assertStrictlyIncreasing(delivered.stream().map(Event::id).toList());
        assertThat(eventIds(EventQuery.after(0, 1_000)))
                .containsExactlyElementsOf(delivered.stream().map(Event::id).toList());
        assertThat(store.lastEventId()).isEqualTo(delivered.get(delivered.size() - 1).id());
    }

    @Test
    void aConstraintViolationFailsOnlyItsOwnWrite() {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hold = holdWriter(store, release);
        CompletableFuture<Message> first;
        CompletableFuture<Message> duplicate;
        CompletableFuture<Message> other;
        try {
            first = store.write(tx -> tx.insertMessage(draft("bob", "alice").key("k1").build()));
            duplicate = store.write(tx -> tx.insertMessage(draft("bob", "carol").key("k1").build()));
            other = store.write(tx -> tx.insertMessage(draft("bob", "dave").build()));
        } finally {
            release.countDown();
        }
        assertThat(hold).succeedsWithin(WAIT);

        assertThat(duplicate).failsWithin(WAIT);
        Message kept = assertThat(first).succeedsWithin(WAIT).actual();
        Message alongside = assertThat(other).succeedsWithin(WAIT).actual();
        assertThat(reads().recent(EVERYTHING)).containsExactly(alongside, kept);
        assertThat(reads().messageByIdempotencyKey("bob", "k1")).contains(kept);
    }

    @Test
    void theSinkReceivesEventsOnlyAfterCommitSoAReadFindsTheirRows() {
        List<List<Message>> seenFromSink = new CopyOnWriteArrayList<>();
        List<Long> lastEventIdInSink = new CopyOnWriteArrayList<>();
        sink.onCommit(events -> {
            seenFromSink.add(await(store.read(reads -> reads.recent(EVERYTHING))));
            lastEventIdInSink.add(store.lastEventId());
        });

        Message message = inTransaction(tx -> {
            Message inserted = tx.insertMessage(draft("bob", "alice").build());
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "bob", null), Map.of("id", inserted.id()), 1);
            return inserted;
        });

        assertThat(seenFromSink).containsExactly(List.of(message));
        assertThat(lastEventIdInSink).containsExactly(sink.events().get(0).id());
    }

    @Test
    void aWriteCompletesOnlyAfterItsEventsReachedTheSink() {
        List<CompletableFuture<Boolean>> deliveredFirst = IntStream.range(0, 30)
                .mapToObj(n -> store.write(tx -> tx.append(EventType.AGENT_STATUS, Event.Origin.server(null), Event.Scope.agent("a" + n),
                                Map.of(), n))
                        .thenApply(event -> sink.events().contains(event)))
                .toList();

        for (CompletableFuture<Boolean> future : deliveredFirst) {
            assertThat(future).succeedsWithin(WAIT).isEqualTo(true);
        }
    }

    @Test
    void lastEventIdIsTheLastDeliveredEvent() {
        assertThat(store.lastEventId()).isZero();

        inTransaction(tx -> {
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1);
            tx.append(EventType.MESSAGE_READ, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1);
            return tx.append(EventType.MESSAGE_CLAIMED, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1);
        });
        long delivered = sink.events().get(sink.events().size() - 1).id();
        assertThat(store.lastEventId()).isEqualTo(delivered);

        insert(draft("bob", "alice"));
        assertThat(store.write(tx -> {
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1);
            throw new IllegalStateException("rolled back");
        })).failsWithin(WAIT);

        assertThat(store.lastEventId()).isEqualTo(delivered);
        assertThat(reads().counts().lastEventId()).isEqualTo(delivered);
    }

    @Test
    void readsSeeOnlyCommittedState() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> insertedId = new CompletableFuture<>();
        CompletableFuture<Message> write;
        try {
            write = store.write(tx -> {
                Message message = tx.insertMessage(draft("bob", "alice").build());
                insertedId.complete(message.id());
                awaitQuietly(release);
                return message;
            });
            long id = insertedId.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(reads().message(id)).isEmpty();
        } finally {
            release.countDown();
        }

        Message committed = assertThat(write).succeedsWithin(WAIT).actual();
        assertThat(reads().message(committed.id())).contains(committed);
    }

    @Test
    void aTransactionReadsItsOwnUncommittedWrites() {
        record Seen(Optional<AgentCard> agent, Optional<Message> message, List<ReadMark> marks, List<Event> events) {
        }

        Seen seen = inTransaction(tx -> {
            tx.saveAgent(ALICE);
            Message message = tx.insertMessage(draft("bob", "alice").build());
            tx.markRead(message.id(), "alice", 5);
            tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of(), 1);
            return new Seen(tx.agent("alice"), tx.message(message.id()), tx.readMarks(message.id()),
                    tx.events(EventQuery.after(0, 10)));
        });

        assertThat(seen.agent()).contains(ALICE);
        assertThat(seen.message()).isPresent();
        assertThat(seen.marks()).containsExactly(new ReadMark("alice", 5));
        assertThat(seen.events()).hasSize(1);
    }

    // ---- lifecycle ----

    @Test
    void committedDataSurvivesCloseAndReopen() {
        writes().saveAgent(ALICE);
        Message root = insert(draft("bob", "alice").key("k1"));
        Message reply = insert(draft("alice", "bob").replyingTo(root));
        Message claimed = claimed("alice", 9_000);
        writes().markRead(root.id(), "alice", 50);
        Event event = append(EventType.MESSAGE_NEW, Event.Origin.server(null), new Event.Scope("alice", "bob", "ops"), 7);
        long lastEventId = store.lastEventId();
        Counts counts = reads().counts();

        reopen();

        assertThat(reads().agent("alice")).contains(ALICE);
        assertThat(reads().thread(root.id())).containsExactly(root, reply);
        assertThat(reads().messageByIdempotencyKey("bob", "k1")).contains(root);
        assertThat(reads().message(claimed.id())).contains(claimed);
        assertThat(reads().readMarks(root.id())).containsExactly(new ReadMark("alice", 50));
        assertThat(reads().events(EventQuery.after(0, 10))).extracting(EventView::of)
                .containsExactly(EventView.of(event));
        assertThat(store.lastEventId()).isEqualTo(lastEventId);
        assertThat(reads().counts()).isEqualTo(counts);
        assertThat(insert(draft("bob", "alice")).id()).isGreaterThan(claimed.id());
    }

    @Test
    void lastEventIdDoesNotGoBackwardsWhenPruningEmptiedTheLogBeforeARestart() {
        append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);
        Event last = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 100);
        writes().pruneBefore(Long.MAX_VALUE, 100);
        assertThat(store.lastEventId()).isEqualTo(last.id());

        reopen();

        assertThat(store.lastEventId()).isEqualTo(last.id());
        Event next = append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, 200);
        assertThat(next.id()).isGreaterThan(last.id());
        assertThat(store.lastEventId()).isEqualTo(next.id());
    }

    @Test
    void closingFinishesEveryWriteQueuedBeforeIt() {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> hold = holdWriter(store, release);
        List<CompletableFuture<Message>> queued;
        CompletableFuture<Void> closing;
        try {
            queued = IntStream.range(0, 20)
                    .mapToObj(n -> store.write(tx -> tx.insertMessage(draft("bob", "alice").build())))
                    .toList();
            Store closingStore = store;
            closing = CompletableFuture.runAsync(closingStore::close);
        } finally {
            release.countDown();
        }

        assertThat(closing).succeedsWithin(WAIT);
        assertThat(hold).isCompleted();
        List<Long> ids = queued.stream().map(future -> assertThat(future).succeedsWithin(WAIT).actual().id())
                .toList();
        reopen();
        assertThat(recentIds(EVERYTHING)).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aClosedStoreRefusesWorkWithAFailedFutureInsteadOfHanging() {
        store.close();

        assertThat(store.write(tx -> tx.insertMessage(draft("bob", "alice").build()))).failsWithin(WAIT);
        assertThat(store.read(Reads::counts)).failsWithin(WAIT);
    }

    // ---- tasks ----

    @Test
    void anInsertedTaskReadsBackWithEveryFieldAndSavingChangesOnlyTheChangeableOnes() {
        Task inserted = inTransaction(tx -> tx.insertTask(newTask("ci", "tag:ops", "deploys", "build-42", 1_000)));

        assertThat(inserted.id()).isPositive();
        assertThat(inserted.status()).isEqualTo(TaskStatus.OPEN);
        assertThat(inserted.occurrenceCount()).isEqualTo(1);
        assertThat(reads().task(inserted.id())).contains(inserted);
        assertThat(inserted.metadata()).isEqualTo(Map.of("build", 42, "labels", List.of("a", "b")));

        Task changed = inserted.withMessage(7).seenAgain(2_000)
                .moved(TaskStatus.IN_PROGRESS, "alice", 1_500L, "half way", "partial", 2_500);
        writes().saveTask(changed);

        assertThat(reads().task(inserted.id())).contains(changed);
        Task finished = changed.moved(TaskStatus.DONE, "alice", 1_500L, "all", "ok", 3_000);
        writes().saveTask(finished);
        assertThat(reads().task(inserted.id())).hasValueSatisfying(task -> {
            assertThat(task.closedAt()).isEqualTo(3_000L);
            assertThat(task.occurrenceCount()).isEqualTo(2);
            assertThat(task.messageId()).isEqualTo(7L);
        });
        assertThat(reads().task(inserted.id() + 1)).isEmpty();
    }

    @Test
    void theActiveTaskOfADedupeKeyIsPerIntegrationAndOnlyWhileActive() {
        Task first = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, "k", 1_000)));
        inTransaction(tx -> tx.insertTask(newTask("pager", "alice", null, "k", 1_000)));

        assertThat(reads().activeTask("ci", "k")).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(first.id()));
        assertThat(reads().activeTask("ci", "other")).isEmpty();

        writes().saveTask(first.moved(TaskStatus.FAILED, null, null, null, null, 2_000));
        assertThat(reads().activeTask("ci", "k")).isEmpty();
        Task second = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, "k", 3_000)));
        assertThat(reads().activeTask("ci", "k")).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo(second.id()));
    }

    @Test
    void twoActiveTasksWithOneDedupeKeyAreRefusedByTheStore() {
        inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, "k", 1_000)));

        assertThat(store.write(tx -> tx.insertTask(newTask("ci", "alice", null, "k", 2_000)))).failsWithin(WAIT);
        assertThat(reads().tasks(new TaskQuery(null, null, null, null, 0, 100))).hasSize(1);
        // Without a key there is nothing to de-duplicate.
        inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 3_000)));
        inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 4_000)));
        assertThat(reads().tasks(new TaskQuery(null, null, null, null, 0, 100))).hasSize(3);
    }

    @Test
    void tasksAreListedNewestFirstAndFilteredByStatusTargetChannelAndIntegration() {
        Task a = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", "builds", null, 1_000)));
        Task b = inTransaction(tx -> tx.insertTask(newTask("ci", "tag:ops", "builds", null, 1_000)));
        Task c = inTransaction(tx -> tx.insertTask(newTask("pager", "tag:ops", null, null, 1_000)));
        writes().saveTask(b.moved(TaskStatus.CLAIMED, "bob", 2_000L, null, null, 2_000));

        assertThat(taskIds(new TaskQuery(null, null, null, null, 0, 100))).containsExactly(c.id(), b.id(), a.id());
        assertThat(taskIds(new TaskQuery(TaskStatus.OPEN, null, null, null, 0, 100))).containsExactly(c.id(), a.id());
        assertThat(taskIds(new TaskQuery(null, "tag:ops", null, null, 0, 100))).containsExactly(c.id(), b.id());
        assertThat(taskIds(new TaskQuery(null, null, "builds", null, 0, 100))).containsExactly(b.id(), a.id());
        assertThat(taskIds(new TaskQuery(null, null, null, "pager", 0, 100))).containsExactly(c.id());
        assertThat(taskIds(new TaskQuery(null, null, null, null, c.id(), 1))).containsExactly(b.id());
    }

    @Test
    void aTasksHistoryReadsBackInOrder() {
        Task task = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        TaskEvent created = inTransaction(tx -> tx.insertTaskEvent(new TaskEvent(0, task.id(), TaskEvent.Kind.CREATED,
                null, null, TaskStatus.OPEN, Map.of("messageId", 3), 11, 1_000)));
        TaskEvent claimed = inTransaction(tx -> tx.insertTaskEvent(new TaskEvent(0, task.id(), TaskEvent.Kind.CLAIMED,
                "alice", TaskStatus.OPEN, TaskStatus.CLAIMED, Map.of(), 12, 2_000)));

        assertThat(created.id()).isPositive();
        assertThat(reads().taskEvents(task.id())).containsExactly(created, claimed);
        assertThat(reads().taskEvents(task.id() + 1)).isEmpty();
    }

    @Test
    void tasksHeldByUnavailableAgentsAreActiveTasksWhoseHolderIsOfflineOrGone() {
        useTransaction(tx -> {
            tx.saveAgent(card("on", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of(), List.of(), 1_000));
            tx.saveAgent(card("off", AgentKind.PROVIDER, AgentStatus.OFFLINE, List.of(), List.of(), 1_000));
        });
        Task byOnline = held("on", TaskStatus.IN_PROGRESS);
        Task byOffline = held("off", TaskStatus.BLOCKED);
        Task byGone = held("gone", TaskStatus.CLAIMED);
        held("off", TaskStatus.DONE);
        inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));

        assertThat(writes().tasksHeldByUnavailableAgents()).extracting(Task::id)
                .containsExactly(byOffline.id(), byGone.id())
                .doesNotContain(byOnline.id());
    }

    // ---- callbacks ----

    @Test
    void aDeliveryIsDueFromItsTimeAndEachAttemptMovesItOn() {
        Task task = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Delivery queued = inTransaction(tx -> tx.insertDelivery("ci", task, 5, 1_000));

        assertThat(queued.status()).isEqualTo(Delivery.State.PENDING);
        assertThat(json(queued.task()).get("id").asLong()).isEqualTo(task.id());
        assertThat(reads().dueDeliveries(999, 10)).isEmpty();
        assertThat(reads().dueDeliveries(1_000, 10)).containsExactly(queued);

        writes().recordAttempt(new DeliveryAttempt(queued.id(), 1, 1_000, 503, "receiver answered HTTP 503"),
                Delivery.State.PENDING, 3_000);
        assertThat(reads().dueDeliveries(2_999, 10)).isEmpty();
        assertThat(reads().dueDeliveries(3_000, 10)).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(1);
            assertThat(d.lastStatusCode()).isEqualTo(503);
            assertThat(d.lastError()).isEqualTo("receiver answered HTTP 503");
        });

        writes().recordAttempt(new DeliveryAttempt(queued.id(), 2, 3_000, 200, null), Delivery.State.DELIVERED, 3_000);
        assertThat(reads().dueDeliveries(Long.MAX_VALUE, 10)).isEmpty();
        assertThat(reads().deliveries("ci", 0, 10)).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(Delivery.State.DELIVERED);
            assertThat(d.attempts()).isEqualTo(2);
            assertThat(d.deliveredAt()).isEqualTo(3_000L);
            assertThat(d.lastError()).isNull();
        });
        assertThat(reads().deliveryAttempts(queued.id())).containsExactly(
                new DeliveryAttempt(queued.id(), 1, 1_000, 503, "receiver answered HTTP 503"),
                new DeliveryAttempt(queued.id(), 2, 3_000, 200, null));
    }

    @Test
    void deliveriesAreListedPerIntegrationNewestFirstAndDueOnesOldestDueFirst() {
        Task one = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Task two = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Task three = inTransaction(tx -> tx.insertTask(newTask("pager", "alice", null, null, 1_000)));
        Delivery late = inTransaction(tx -> tx.insertDelivery("ci", one, 1, 2_000));
        Delivery early = inTransaction(tx -> tx.insertDelivery("ci", two, 2, 1_000));
        Delivery other = inTransaction(tx -> tx.insertDelivery("pager", three, 3, 1_000));

        assertThat(reads().deliveries("ci", 0, 10)).extracting(Delivery::id).containsExactly(early.id(), late.id());
        assertThat(reads().deliveries("ci", early.id(), 10)).extracting(Delivery::id).containsExactly(late.id());
        assertThat(reads().dueDeliveries(5_000, 10)).extracting(Delivery::id)
                .containsExactly(early.id(), other.id(), late.id());
        assertThat(reads().dueDeliveries(5_000, 1)).extracting(Delivery::id).containsExactly(early.id());
    }

    @Test
    void aTasksCallbacksFallDueOneAtATimeInOrder() {
        Task task = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Delivery first = inTransaction(tx -> tx.insertDelivery("ci", task, 1, 1_000));
        Delivery second = inTransaction(tx -> tx.insertDelivery("ci", task, 2, 1_000));
        Delivery third = inTransaction(tx -> tx.insertDelivery("ci", task, 3, 1_000));

        assertThat(reads().dueDeliveries(5_000, 10)).containsExactly(first);
        writes().recordAttempt(new DeliveryAttempt(first.id(), 1, 1_000, 200, null), Delivery.State.DELIVERED, 1_000);
        assertThat(reads().dueDeliveries(5_000, 10)).extracting(Delivery::id).containsExactly(second.id());
        writes().recordAttempt(new DeliveryAttempt(second.id(), 1, 1_000, null, "refused"), Delivery.State.FAILED, 1_000);
        assertThat(reads().dueDeliveries(5_000, 10)).extracting(Delivery::id).containsExactly(third.id());
    }

    @Test
    void pendingDeliveriesSurviveARestart() {
        Task task = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Delivery queued = inTransaction(tx -> tx.insertDelivery("ci", task, 1, 1_000));

        reopen();

        assertThat(reads().dueDeliveries(1_000, 10)).containsExactly(queued);
    }

    // ---- activity ----

    @Test
    void eventsBeforeAnIdPageTheLogNewestFirst() {
        List<Long> ids = IntStream.range(0, 5).mapToObj(n -> append(EventType.AGENT_STATUS, Event.Origin.server(null), Event.Scope.agent("a"),
                1_000 + n).id()).toList();

        assertThat(reads().eventsBefore(0, 2)).extracting(Event::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(reads().eventsBefore(ids.get(3), 10)).extracting(Event::id)
                .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void aReportedClientIdFindsItsEventUntilRetentionPrunesItAndCanThenBeRepointed() {
        Event event = append(EventType.ACTIVITY_REPORTED, Event.Origin.server(null), Event.Scope.agent("alice"), 1_000);
        writes().recordActivityReport("c-1", event.id(), 1_000);

        assertThat(reads().reportedActivity("c-1")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(event.id()));
        assertThat(reads().reportedActivity("c-2")).isEmpty();

        writes().pruneBefore(2_000, 100);
        assertThat(reads().reportedActivity("c-1")).as("its event is gone").isEmpty();
        Event again = append(EventType.ACTIVITY_REPORTED, Event.Origin.server(null), Event.Scope.agent("alice"), 3_000);
        writes().recordActivityReport("c-1", again.id(), 3_000);
        assertThat(reads().reportedActivity("c-1")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(again.id()));
    }

    // ---- the config store: versioned keys and their history ----

    @Test
    void aConfigKeyStartsAtVersionOneAndEveryWriteBumpsItAndIsKeptInItsHistory() {
        JsonNode first = json("{\"model\":\"m1\",\"limits\":{\"tokens\":100},\"tools\":[\"git\",true,1.5,null]}");
        ConfigEntry created = writes().putConfig(new ConfigWrite("agents", "defaults", first, "alice", 1_000));
        ConfigEntry replaced = writes().putConfig(new ConfigWrite("agents", "defaults", json("null"), null, 2_000));
        ConfigEntry third = writes().putConfig(new ConfigWrite("agents", "defaults", json("\"plain text\""), "bob", 3_000));

        assertThat(created).isEqualTo(new ConfigEntry("agents", "defaults", first, 1, "alice", 1_000, 1_000));
        assertThat(replaced.version()).isEqualTo(2);
        assertThat(replaced.value().isNull()).as("JSON null is a value").isTrue();
        assertThat(third).isEqualTo(new ConfigEntry("agents", "defaults", json("\"plain text\""), 3, "bob", 1_000, 3_000));
        assertThat(reads().configEntry("agents", "defaults")).contains(third);
        assertThat(reads().configEntry("agents", "other")).isEmpty();
        assertThat(reads().configEntry("other", "defaults")).isEmpty();

        assertThat(reads().configHistory("agents", "defaults", 0, 10)).containsExactly(
                new ConfigRevision("agents", "defaults", 3, json("\"plain text\""), false, "bob", 3_000),
                new ConfigRevision("agents", "defaults", 2, json("null"), false, null, 2_000),
                new ConfigRevision("agents", "defaults", 1, first, false, "alice", 1_000));
        assertThat(reads().configHistory("agents", "never", 0, 10)).isEmpty();
    }

    @Test
    void deletingAConfigKeyIsAVersionedWriteAndWritingItAgainContinuesFromItsHistory() {
        writes().putConfig(new ConfigWrite("ns", "k", json("1"), "alice", 1_000));
        writes().putConfig(new ConfigWrite("ns", "k", json("2"), "alice", 2_000));

        assertThat(writes().deleteConfig("ns", "k", "bob", 3_000)).hasValue(3);
        assertThat(reads().configEntry("ns", "k")).as("deleted").isEmpty();
        assertThat(reads().configEntries("ns")).isEmpty();
        assertThat(writes().deleteConfig("ns", "k", "bob", 4_000)).as("nothing left to delete").isEmpty();
        assertThat(writes().deleteConfig("ns", "never", "bob", 4_000)).isEmpty();

        ConfigEntry again = writes().putConfig(new ConfigWrite("ns", "k", json("5"), "carol", 5_000));
        assertThat(again).as("version after the deletion's; created anew")
                .isEqualTo(new ConfigEntry("ns", "k", json("5"), 4, "carol", 5_000, 5_000));
        assertThat(reads().configHistory("ns", "k", 0, 10)).extracting(ConfigRevision::version, ConfigRevision::deleted,
                        ConfigRevision::updatedBy, ConfigRevision::updatedAt)
                .containsExactly(tuple(4L, false, "carol", 5_000L), tuple(3L, true, "bob", 3_000L),
                        tuple(2L, false, "alice", 2_000L), tuple(1L, false, "alice", 1_000L));
        assertThat(reads().configHistory("ns", "k", 0, 10).get(1).value().isNull()).isTrue();
    }

    @Test
    void aCompareAndSetWritesOnlyAtTheExpectedVersionAndLeavesNoTraceOtherwise() {
        ConfigWrite write = new ConfigWrite("ns", "k", json("{\"a\":1}"), "alice", 1_000);

        assertThat(writes().putConfigIf(write, 0)).as("0: only while the key has no entry")
                .hasValueSatisfying(entry -> assertThat(entry.version()).isEqualTo(1));
        assertThat(writes().putConfigIf(write, 0)).isEmpty();
        assertThat(writes().putConfigIf(write, 2)).isEmpty();
        assertThat(writes().putConfigIf(write, 1)).hasValueSatisfying(entry -> assertThat(entry.version()).isEqualTo(2));
        assertThat(writes().deleteConfigIf("ns", "k", "bob", 2_000, 1)).isEmpty();
        assertThat(reads().configHistory("ns", "k", 0, 10)).as("refused writes are not in the history")
                .extracting(ConfigRevision::version).containsExactly(2L, 1L);

        assertThat(writes().deleteConfigIf("ns", "k", "bob", 2_000, 2)).hasValue(3);
        assertThat(writes().putConfigIf(write, 3)).as("a deleted key has no entry to be at version 3").isEmpty();
        ConfigEntry recreated = writes().putConfigIf(new ConfigWrite("ns", "k", json("[]"), null, 4_000), 0).orElseThrow();
        assertThat(recreated.version()).isEqualTo(4);
        assertThat(recreated.createdAt()).isEqualTo(4_000);
    }

    @Test
    void configEntriesAreListedByKeyAndNamespacesCountOnlyLiveKeys() {
        useTransaction(tx -> {
            for (String key : List.of("b", "a", "C", "a.b", "z")) {
                tx.putConfig(new ConfigWrite("app", key, json("1"), null, 1_000));
            }
            tx.putConfig(new ConfigWrite("spawn-policy", "review", json("{}"), null, 2_000));
            tx.putConfig(new ConfigWrite("gone", "only", json("{}"), null, 3_000));
            tx.putConfig(new ConfigWrite("app", "b", json("2"), null, 4_000));
        });
        writes().deleteConfig("gone", "only", null, 5_000);
        writes().deleteConfig("app", "z", null, 6_000);

        assertThat(reads().configEntries("app")).extracting(ConfigEntry::key).containsExactly("C", "a", "a.b", "b");
        assertThat(reads().configEntries("nothing")).isEmpty();
        assertThat(reads().configNamespaces()).containsExactly(new ConfigNamespace("app", 4, 4_000),
                new ConfigNamespace("spawn-policy", 1, 2_000));
    }

    @Test
    void aKeysHistoryPagesNewestFirstBelowAVersion() {
        useTransaction(tx -> {
            for (int n = 1; n <= 7; n++) {
                tx.putConfig(new ConfigWrite("ns", "k", json(Integer.toString(n)), null, 1_000 + n));
            }
        });

        assertThat(reads().configHistory("ns", "k", 0, 3)).extracting(ConfigRevision::version).containsExactly(7L, 6L, 5L);
        assertThat(reads().configHistory("ns", "k", 5, 3)).extracting(ConfigRevision::version).containsExactly(4L, 3L, 2L);
        assertThat(reads().configHistory("ns", "k", 2, 3)).extracting(ConfigRevision::version).containsExactly(1L);
        assertThat(reads().configHistory("ns", "k", 1, 3)).isEmpty();
    }

    @Test
    void configEntriesAndTheirHistorySurviveARestart() {
        writes().putConfig(new ConfigWrite("ns", "k", json("{\"x\":[1,2]}"), "alice", 1_000));
        writes().deleteConfig("ns", "k", "bob", 2_000);
        writes().putConfig(new ConfigWrite("ns", "k", json("3"), "carol", 3_000));

        reopen();

        assertThat(reads().configEntry("ns", "k")).hasValueSatisfying(entry -> assertThat(entry.version()).isEqualTo(3));
        assertThat(reads().configHistory("ns", "k", 0, 10)).extracting(ConfigRevision::version).containsExactly(3L, 2L, 1L);
        assertThat(writes().putConfig(new ConfigWrite("ns", "k", json("4"), null, 4_000)).version()).isEqualTo(4);
    }

    // ---- orchestrators and commands ----

    /** An orchestrator with every field set, so a round trip covers every column. */
    protected static final Orchestrator BUILDER = new Orchestrator("builder", "build-host.example", "/srv/work",
            List.of(Provider.CLAUDE, Provider.CODEX), List.of("ANTHROPIC_API_KEY", "OPENAI_API_KEY"),
            Map.of("os", "linux", "slots", Map.of("max", 4)), "http://10.0.0.5:4860", "orchestrator-builder",
            List.of(new ManagedAgent("builder-claude-1", Provider.CLAUDE, "relay-claude-1", "/srv/work/api", "api fixer",
                    ApprovalMode.GUARDED, 4242L, 1_500), new ManagedAgent("", Provider.CODEX, "relay-codex-1", "/srv/work",
                    null, ApprovalMode.READ_ONLY, null, 1_600)),
            OrchestratorStatus.ONLINE, 2_000, 1_000, 2_000);

    @Test
    void aSavedOrchestratorReadsBackWithEveryFieldAndSavingAgainReplacesIt() {
        writes().saveOrchestrator(BUILDER);

        assertThat(reads().orchestrator("builder")).contains(BUILDER);
        assertThat(reads().orchestratorByAgent("orchestrator-builder")).contains(BUILDER);
        assertThat(reads().orchestrator("nobody")).isEmpty();
        assertThat(reads().orchestratorByAgent("builder")).isEmpty();

        Orchestrator again = new Orchestrator("builder", "other-host", "/home/ci", List.of(Provider.CODEX), List.of(),
                Map.of(), null, "inbox-b", List.of(), OrchestratorStatus.OFFLINE, 3_000, BUILDER.createdAt(), 3_000);
        writes().saveOrchestrator(again);
        Orchestrator second = new Orchestrator("alpha", "a-host", "/", List.of(Provider.CLAUDE), List.of(), Map.of(),
                null, "orchestrator-alpha", List.of(), OrchestratorStatus.ONLINE, 500, 500, 500);
        writes().saveOrchestrator(second);

        assertThat(reads().orchestrators()).containsExactly(second, again);
        assertThat(reads().orchestratorByAgent("orchestrator-builder")).isEmpty();
    }

    @Test
    void touchingAnOrchestratorChangesItsPresenceOnlyAndReportedAgentsReplaceTheList() {
        writes().saveOrchestrator(BUILDER);

        assertThat(writes().touchOrchestrator("builder", OrchestratorStatus.OFFLINE, 5_000, 4_000)).isTrue();
        assertThat(writes().touchOrchestrator("nobody", OrchestratorStatus.ONLINE, 5_000, 4_000)).isFalse();
        assertThat(reads().orchestrator("builder")).contains(BUILDER.withStatus(OrchestratorStatus.OFFLINE, 4_000, 5_000));

        List<ManagedAgent> now = List.of(new ManagedAgent("w1", Provider.CODEX, "s1", "/srv/work/x", null,
                ApprovalMode.OPEN, null, 6_000));
        assertThat(writes().saveManagedAgents("builder", now, 6_000)).isTrue();
        assertThat(writes().saveManagedAgents("nobody", now, 6_000)).isFalse();
        assertThat(reads().orchestrator("builder")).contains(
                BUILDER.withStatus(OrchestratorStatus.OFFLINE, 4_000, 5_000).withAgents(now, 6_000));
    }

    @Test
    void orchestratorsSilentSinceAreTheOnlineOnesLastSeenBeforeTheCutoff() {
        writes().saveOrchestrator(BUILDER);
        writes().saveOrchestrator(orchestrator("quiet", OrchestratorStatus.ONLINE, 1_000));
        writes().saveOrchestrator(orchestrator("gone", OrchestratorStatus.OFFLINE, 1_000));
        writes().saveOrchestrator(orchestrator("fresh", OrchestratorStatus.ONLINE, 9_000));

        assertThat(writes().orchestratorsSilentSince(2_001)).extracting(Orchestrator::id).containsExactly("builder", "quiet");
        assertThat(writes().orchestratorsSilentSince(2_000)).extracting(Orchestrator::id).containsExactly("quiet");
    }

    @Test
    void deletingAnOrchestratorRemovesItAndFreesItsInboxAgent() {
        writes().saveOrchestrator(BUILDER);

        assertThat(writes().deleteOrchestrator("builder")).isTrue();
        assertThat(writes().deleteOrchestrator("builder")).isFalse();

        assertThat(reads().orchestrators()).isEmpty();
        Orchestrator successor = new Orchestrator("successor", "h", "/srv", List.of(Provider.CLAUDE), List.of(), Map.of(),
                null, BUILDER.agentId(), List.of(), OrchestratorStatus.ONLINE, 1, 1, 1);
        writes().saveOrchestrator(successor);
        assertThat(reads().orchestratorByAgent(BUILDER.agentId())).contains(successor);
    }

    @Test
    void twoOrchestratorsCannotShareAnInboxAgent() {
        writes().saveOrchestrator(BUILDER);
        Orchestrator thief = new Orchestrator("thief", "h", "/srv", List.of(Provider.CLAUDE), List.of(), Map.of(), null,
                BUILDER.agentId(), List.of(), OrchestratorStatus.ONLINE, 1, 1, 1);

        assertThat(store.write(tx -> {
            tx.saveOrchestrator(thief);
            return null;
        })).failsWithin(WAIT);

        assertThat(reads().orchestrators()).containsExactly(BUILDER);
    }

    @Test
    void anInsertedCommandReadsBackAndAConditionalSaveMovesItOnlyFromTheExpectedStatus() {
        Command inserted = writes().insertCommand(newCommand("orchestrator-builder", 1_000));
        assertThat(inserted.id()).isPositive();
        assertThat(inserted.status()).isEqualTo(CommandStatus.PENDING);
        assertThat(reads().command(inserted.id())).contains(inserted);
        assertThat(inserted.params()).isEqualTo(Map.of("provider", "claude", "cwd", "/srv/work",
                "tags", List.of("a", "b"), "attempt", 1));

        Command accepted = inserted.moved(CommandStatus.ACCEPTED, "orchestrator-builder", null, null, null, 2_000);
        assertThat(writes().saveCommandIf(accepted, CommandStatus.RUNNING)).as("not running").isFalse();
        assertThat(reads().command(inserted.id())).contains(inserted);
        assertThat(writes().saveCommandIf(accepted, CommandStatus.PENDING)).isTrue();
        assertThat(writes().saveCommandIf(accepted, CommandStatus.PENDING)).as("no longer pending").isFalse();

        Command done = accepted.moved(CommandStatus.SUCCEEDED, "orchestrator-builder", "session up",
                Map.of("agentId", "builder-claude-2", "pid", 99, "windows", List.of(1, 2)), null, 3_000);
        assertThat(writes().saveCommandIf(done, CommandStatus.ACCEPTED)).isTrue();
        assertThat(reads().command(inserted.id())).contains(done);
        Command failed = writes().insertCommand(newCommand("orchestrator-builder", 4_000))
                .moved(CommandStatus.FAILED, "orchestrator-builder", null, null, "tmux: no server", 4_500);
        assertThat(writes().saveCommandIf(failed, CommandStatus.PENDING)).isTrue();
        assertThat(reads().command(failed.id())).contains(failed);
        assertThat(reads().command(failed.id() + 1)).isEmpty();
    }

    @Test
    void commandsAreListedNewestFirstAndFilteredByTargetAndStatus() {
        Command a = writes().insertCommand(newCommand("orchestrator-a", 1_000));
        Command b = writes().insertCommand(newCommand("orchestrator-b", 1_100));
        Command c = writes().insertCommand(newCommand("orchestrator-a", 1_200));
        writes().saveCommandIf(c.moved(CommandStatus.CANCELED, null, null, null, null, 1_300), CommandStatus.PENDING);

        assertThat(commandIds(new CommandQuery(null, null, 100))).containsExactly(c.id(), b.id(), a.id());
        assertThat(commandIds(new CommandQuery("orchestrator-a", null, 100))).containsExactly(c.id(), a.id());
        assertThat(commandIds(new CommandQuery(null, CommandStatus.PENDING, 100))).containsExactly(b.id(), a.id());
        assertThat(commandIds(new CommandQuery("orchestrator-a", CommandStatus.CANCELED, 100))).containsExactly(c.id());
        assertThat(commandIds(new CommandQuery(null, null, 2))).containsExactly(c.id(), b.id());
    }

    @Test
    void pruningDeletesFinishedCommandsLastChangedBeforeTheCutoffAndNeverOneInFlight() {
        Command succeeded = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(succeeded.moved(CommandStatus.SUCCEEDED, "o", null, null, null, 100), CommandStatus.PENDING);
        Command failed = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(failed.moved(CommandStatus.FAILED, "o", null, null, "no tmux", 200), CommandStatus.PENDING);
        Command canceled = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(canceled.moved(CommandStatus.CANCELED, null, null, null, null, 300), CommandStatus.PENDING);
        Command finishedLate = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(finishedLate.moved(CommandStatus.SUCCEEDED, "o", null, null, null, 900), CommandStatus.PENDING);
        Command stillPending = writes().insertCommand(newCommand("o", 100));
        Command stillRunning = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(stillRunning.moved(CommandStatus.RUNNING, "o", null, null, null, 150), CommandStatus.PENDING);

        // Batches of two: the two oldest finished commands, then the third, then nothing.
        assertThat(writes().pruneBefore(500, 2)).isEqualTo(2);
        assertThat(writes().pruneBefore(500, 2)).isEqualTo(1);
        assertThat(writes().pruneBefore(500, 2)).isZero();

        assertThat(commandIds(new CommandQuery(null, null, 100)))
                .containsExactly(stillRunning.id(), stillPending.id(), finishedLate.id());
    }

    @Test
    void theExpiredCommandsAreThePendingOnesPastTheirExpiry() {
        Command due = writes().insertCommand(newCommand("o", 1_000));
        Command later = writes().insertCommand(newCommand("o", 5_000));
        Command accepted = writes().insertCommand(newCommand("o", 1_000));
        writes().saveCommandIf(accepted.moved(CommandStatus.ACCEPTED, "o", null, null, null, 1_500), CommandStatus.PENDING);

        // newCommand expires 600 s after it is made.
        assertThat(writes().commandsExpiredAt(601_000)).extracting(Command::id).containsExactly(due.id());
        assertThat(writes().commandsExpiredAt(600_999)).isEmpty();
        assertThat(writes().commandsExpiredAt(605_000)).extracting(Command::id).containsExactly(due.id(), later.id());
    }

    /** The replay of {@code filter} walked page by page, as a stream far behind reads it. */
    private List<Long> replayInPages(StreamFilter filter, long after, long upTo, int size) {
        List<Long> ids = new ArrayList<>();
        for (long cursor = after; ; ) {
            List<Long> page = eventIds(filter.page(cursor, upTo, size));
            if (page.isEmpty()) {
                return ids;
            }
            ids.addAll(page);
            cursor = page.get(page.size() - 1);
        }
    }

    // ---- the target matcher: one rule, written in Java (live streams) and twice in SQL ----

    /**
     * The inbox query, the stream replay query and the live stream filter agree on generated
     * worlds: for every agent (and unregistered id) the inbox holds exactly the delivered messages
     * {@link Audience#receives} accepts; a replay page holds exactly the events a live
     * {@link StreamFilter} passes, for one agent and for random subscriptions to several agents,
     * channels and types, whether read at once or walked in small pages (the queries have a branch
     * per target, each stopping at the page's size); and the messages on an agent's stream are its
     * inbox plus what it sent.
     * Seeded: a failure names its seed; {@code -Drelay.test.seed=N} replays it.
     */
    @Test
    void theInboxTheStreamReplayAndTheLiveFilterAgreeOnGeneratedWorlds() {
        long seed = Long.getLong("relay.test.seed", System.nanoTime());
        for (int index = 0; index < 15; index++) {
            long worldSeed = seed + index;
            MatcherWorld world = new MatcherWorld(worldSeed, index);
            MatcherWorld.Written written = inTransaction(world::write);
            long since = written.messages().get(0).id() - 1;
            long after = written.events().get(0).id() - 1;
            long upTo = written.events().get(written.events().size() - 1).id();
            for (Audience audience : world.audiences()) {
                String where = "seed " + worldSeed + " (-Drelay.test.seed=" + worldSeed + "), world " + index + ", "
                        + audience;
                List<Long> inbox = inboxIds(audience, new MessageQuery(since, 0, 1_000, null, null, false));
                assertThat(inbox).as("inbox query vs Audience.receives: %s", where).isEqualTo(written.messages().stream()
                        .filter(m -> m.deliveryStatus() == DeliveryStatus.DELIVERED && audience.receives(m))
                        .map(Message::id).toList());

                List<Event> live = written.events().stream().filter(StreamFilter.of(Set.of(), audience)).toList();
                assertThat(eventIds(StreamFilter.of(Set.of(), audience).page(after, upTo, 1_000)))
                        .as("stream replay query vs live filter: %s", where).isEqualTo(live.stream().map(Event::id).toList());
                assertThat(replayInPages(StreamFilter.of(Set.of(), audience), after, upTo, 3))
                        .as("stream replay in pages of 3 vs live filter: %s", where)
                        .isEqualTo(live.stream().map(Event::id).toList());
                List<Long> inboxInPages = new ArrayList<>();
                for (long cursor = since; ; ) {
                    List<Long> page = inboxIds(audience, new MessageQuery(cursor, 0, 3, null, null, false));
                    if (page.isEmpty()) {
                        break;
                    }
                    inboxInPages.addAll(page);
                    cursor = page.get(page.size() - 1);
                }
                assertThat(inboxInPages).as("inbox in pages of 3: %s", where).isEqualTo(inbox);

                Set<Long> delivered = new java.util.HashSet<>(written.messages().stream()
                        .filter(m -> m.deliveryStatus() == DeliveryStatus.DELIVERED).map(Message::id).toList());
                Set<Long> sent = new java.util.HashSet<>(written.messages().stream()
                        .filter(m -> m.from().equals(audience.agentId())).map(Message::id).toList());
                assertThat(live.stream().filter(e -> e.type() == EventType.MESSAGE_NEW).map(e -> messageId(e))
                        .filter(delivered::contains).toList())
                        .as("delivered messages on the stream = inbox + sent: %s", where)
                        .isEqualTo(written.messages().stream().map(Message::id)
                                .filter(id -> delivered.contains(id) && (inbox.contains(id) || sent.contains(id))).toList());
            }
            for (int round = 0; round < 3; round++) {
                Set<EventType> types = world.someTypes();
                Set<String> channels = world.someChannels();
                List<Audience> audiences = world.someAudiences();
                List<Long> expected = written.events().stream().filter(new StreamFilter(types, channels, audiences))
                        .map(Event::id).toList();
                assertThat(eventIds(new StreamFilter(types, channels, audiences).page(after, upTo, 1_000)))
                        .as("seed %d, world %d: replay vs live for types %s, channels %s, agents %s", worldSeed, index,
                                types, channels, audiences)
                        .isEqualTo(expected);
                assertThat(replayInPages(new StreamFilter(types, channels, audiences), after, upTo, 2))
                        .as("seed %d, world %d: replay in pages of 2 for types %s, channels %s, agents %s", worldSeed,
                                index, types, channels, audiences)
                        .isEqualTo(expected);
            }
            // A subscription to more agents than the replay makes branches for: one condition instead.
            List<Audience> many = new ArrayList<>(world.audiences());
            for (int ghost = 0; ghost < 70; ghost++) {
                many.add(new Audience("ghost-" + ghost, Set.of("ghost-" + ghost, "tag:ghosts")));
            }
            assertThat(replayInPages(new StreamFilter(Set.of(), Set.of(), many), after, upTo, 3))
                    .as("seed %d, world %d: replay for %d agents", worldSeed, index, many.size())
                    .isEqualTo(written.events().stream().filter(new StreamFilter(Set.of(), Set.of(), many))
                            .map(Event::id).toList());
        }
    }

    private static long messageId(Event event) {
        return json(event.data()).get("id").asLong();
    }

    // ---- helpers ----

    /** Records every batch the store hands over, optionally running a hook inside the callback first. */
    protected static final class RecordingSink implements EventSink {
        private final List<List<Event>> batches = new CopyOnWriteArrayList<>();
        private volatile Consumer<List<Event>> hook = events -> { };

        @Override
        public void committed(List<Event> events) {
            hook.accept(events);
            batches.add(List.copyOf(events));
        }

        public void onCommit(Consumer<List<Event>> newHook) {
            this.hook = newHook;
        }

        public List<List<Event>> batches() {
            return List.copyOf(batches);
        }

        public List<Event> events() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    /** An event reduced to what the contract fixes; data compares as JSON, not as text. */
    protected record EventView(long id, EventType type, long ts, String source, String subject, Event.Scope scope,
                               JsonNode data) {
        static EventView of(Event event) {
            return new EventView(event.id(), event.type(), event.ts(), event.source(), event.subject(), event.scope(),
                    json(event.data()));
        }
    }

    /** A message to insert, with test defaults for every field. */
    protected static final class Draft {
        private final String from;
        private final String to;
        private MessageKind kind = MessageKind.CHAT;
        private Long replyTo;
        private Long threadId;
        private boolean claimable;
        private String idempotencyKey;
        private String channel;
        private DeliveryStatus status = DeliveryStatus.DELIVERED;
        private long createdAt = 1_000;
        private String body;
        private Integer maxAgeSeconds;
        private String resolvedTo;

        private Draft(String from, String to) {
            this.from = from;
            this.to = to;
        }

        public Draft kind(MessageKind newKind) {
            this.kind = newKind;
            return this;
        }

        public Draft channel(String newChannel) {
            this.channel = newChannel;
            return this;
        }

        public Draft replyingTo(Message parent) {
            this.replyTo = parent.id();
            this.threadId = parent.threadId();
            return this;
        }

        public Draft key(String key) {
            this.idempotencyKey = key;
            return this;
        }

        public Draft body(String text) {
            this.body = text;
            return this;
        }

        public Draft claimable() {
            this.claimable = true;
            return this;
        }

        public Draft status(DeliveryStatus newStatus) {
            this.status = newStatus;
            return this;
        }

        public Draft createdAt(long at) {
            this.createdAt = at;
            return this;
        }

        /** Waiting for its {@code policy:}/{@code pool:} target, at most {@code seconds} (null: no limit). */
        public Draft queued(Integer seconds) {
            this.status = DeliveryStatus.QUEUED;
            this.maxAgeSeconds = seconds;
            return this;
        }

        /** Delivered by resolution to {@code agentId}. */
        public Draft resolvedTo(String agentId) {
            this.resolvedTo = agentId;
            return this;
        }

        public NewMessage build() {
            return new NewMessage(from, to, kind, null, body != null ? body : "from " + from + " to " + to, replyTo,
                    threadId, claimable, idempotencyKey, Map.of(), Map.of(), channel, maxAgeSeconds, status, resolvedTo,
                    createdAt);
        }
    }

    protected static Draft draft(String from, String to) {
        return new Draft(from, to);
    }

    protected static AgentCard card(String id, AgentKind kind, AgentStatus status, List<String> tags,
                                    List<String> capabilities, long lastSeenAt) {
        return new AgentCard(id, id, kind, null, tags, capabilities, status, true, null, "inst-" + id, 1, Map.of(),
                lastSeenAt, lastSeenAt, lastSeenAt);
    }

    protected static NewTask newTask(String integration, String target, String channel, String dedupeKey, long at) {
        return new NewTask(integration, target, channel, dedupeKey, "Disk full on db-1", "95% used", Severity.CRITICAL,
                "https://alerts.example/1", Map.of("build", 42, "labels", List.of("a", "b")), at);
    }

    protected static Orchestrator orchestrator(String id, OrchestratorStatus status, long lastSeenAt) {
        return new Orchestrator(id, id + ".example", "/srv/" + id, List.of(Provider.CLAUDE), List.of(), Map.of(), null,
                "orchestrator-" + id, List.of(), status, lastSeenAt, lastSeenAt, lastSeenAt);
    }

    /** A spawn command for {@code target}, made at {@code at}, expiring 600 s later. */
    protected static NewCommand newCommand(String target, long at) {
        return new NewCommand(CommandType.SPAWN, "system", target, "req-" + at,
                Map.of("provider", "claude", "cwd", "/srv/work", "tags", List.of("a", "b"), "attempt", 1), at,
                at + 600_000);
    }

    private List<Long> commandIds(CommandQuery query) {
        return reads().commands(query).stream().map(Command::id).toList();
    }

    private Task held(String holder, TaskStatus status) {
        Task task = inTransaction(tx -> tx.insertTask(newTask("ci", "alice", null, null, 1_000)));
        Task moved = task.moved(status, holder, 1_500L, null, null, 1_500);
        writes().saveTask(moved);
        return moved;
    }

    private List<Long> taskIds(TaskQuery query) {
        return reads().tasks(query).stream().map(Task::id).toList();
    }

    protected final Message insert(Draft draft) {
        return writes().insertMessage(draft.build());
    }

    /** A claimable message to a tag, claimed by {@code holder} until {@code expiresAt}. */
    protected final Message claimed(String holder, long expiresAt) {
        return inTransaction(tx -> {
            Message message = tx.insertMessage(draft("bob", "tag:review").claimable().build());
            tx.updateClaim(message.id(), holder, expiresAt - 100, expiresAt);
            return message.withClaim(holder, expiresAt - 100, expiresAt);
        });
    }

    protected final Event append(EventType type, Event.Origin origin, Event.Scope scope, long ts) {
        return writes().append(type, origin, scope, Map.of("ts", ts), ts);
    }

    /** Committed state, one {@link Store#read} per call. */
    protected final Reads reads() {
        return new CommittedReads();
    }

    /** Each call is its own {@link Store#write}, awaited until committed. */
    protected final Tx writes() {
        return new OneWritePerCall();
    }

    protected final <T> T inTransaction(Function<Tx, T> work) {
        return await(store.write(work));
    }

    protected final void useTransaction(Consumer<Tx> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    protected final <T> T reading(Function<Reads, T> work) {
        return await(store.read(work));
    }

    private class CommittedReads implements Reads {
        private <T> T run(Function<Reads, T> work) {
            return await(store.read(work));
        }

        @Override
        public Optional<AgentCard> agent(String id) {
            return run(reads -> reads.agent(id));
        }

        @Override
        public List<AgentCard> agents(AgentQuery query) {
            return run(reads -> reads.agents(query));
        }

        @Override
        public Optional<Message> message(long id) {
            return run(reads -> reads.message(id));
        }

        @Override
        public Optional<Message> messageByIdempotencyKey(String from, String idempotencyKey) {
            return run(reads -> reads.messageByIdempotencyKey(from, idempotencyKey));
        }

        @Override
        public List<Message> inbox(Audience audience, MessageQuery query) {
            return run(reads -> reads.inbox(audience, query));
        }

        @Override
        public List<Message> recent(MessageQuery query) {
            return run(reads -> reads.recent(query));
        }

        @Override
        public List<Message> queuedMessages(String target, long after, int limit) {
            return run(reads -> reads.queuedMessages(target, after, limit));
        }

        @Override
        public List<String> queuedTargets() {
            return run(Reads::queuedTargets);
        }

        @Override
        public long lastResolved(String agentId, String target) {
            return run(reads -> reads.lastResolved(agentId, target));
        }

        @Override
        public long cursor(Audience audience) {
            return run(reads -> reads.cursor(audience));
        }

        @Override
        public List<Message> thread(long threadId) {
            return run(reads -> reads.thread(threadId));
        }

        @Override
        public List<ReadMark> readMarks(long messageId) {
            return run(reads -> reads.readMarks(messageId));
        }

        @Override
        public List<Event> events(EventQuery query) {
            return run(reads -> reads.events(query));
        }

        @Override
        public Counts counts() {
            return run(Reads::counts);
        }

        @Override
        public Optional<Task> task(long id) {
            return run(reads -> reads.task(id));
        }

        @Override
        public Optional<Task> activeTask(String integration, String dedupeKey) {
            return run(reads -> reads.activeTask(integration, dedupeKey));
        }

        @Override
        public List<Task> tasks(TaskQuery query) {
            return run(reads -> reads.tasks(query));
        }

        @Override
        public List<TaskEvent> taskEvents(long taskId) {
            return run(reads -> reads.taskEvents(taskId));
        }

        @Override
        public List<Delivery> deliveries(String integration, long before, int limit) {
            return run(reads -> reads.deliveries(integration, before, limit));
        }

        @Override
        public List<DeliveryAttempt> deliveryAttempts(long deliveryId) {
            return run(reads -> reads.deliveryAttempts(deliveryId));
        }

        @Override
        public List<Delivery> dueDeliveries(long now, int limit) {
            return run(reads -> reads.dueDeliveries(now, limit));
        }

        @Override
        public List<Event> eventsBefore(long before, int limit) {
            return run(reads -> reads.eventsBefore(before, limit));
        }

        @Override
        public Optional<Event> reportedActivity(String clientId) {
            return run(reads -> reads.reportedActivity(clientId));
        }

        @Override
        public Optional<ConfigEntry> configEntry(String namespace, String key) {
            return run(reads -> reads.configEntry(namespace, key));
        }

        @Override
        public List<ConfigEntry> configEntries(String namespace) {
            return run(reads -> reads.configEntries(namespace));
        }

        @Override
        public List<ConfigNamespace> configNamespaces() {
            return run(Reads::configNamespaces);
        }

        @Override
        public List<ConfigRevision> configHistory(String namespace, String key, long beforeVersion, int limit) {
            return run(reads -> reads.configHistory(namespace, key, beforeVersion, limit));
        }

        @Override
        public Optional<Orchestrator> orchestrator(String id) {
            return run(reads -> reads.orchestrator(id));
        }

        @Override
        public Optional<Orchestrator> orchestratorByAgent(String agentId) {
            return run(reads -> reads.orchestratorByAgent(agentId));
        }

        @Override
        public List<Orchestrator> orchestrators() {
            return run(Reads::orchestrators);
        }

        @Override
        public Optional<Command> command(long id) {
            return run(reads -> reads.command(id));
        }

        @Override
        public List<Command> commands(CommandQuery query) {
            return run(reads -> reads.commands(query));
        }

        @Override
        public Optional<ChannelBinding> channelBinding(long id) {
            return run(reads -> reads.channelBinding(id));
        }

        @Override
        public List<ChannelBinding> channelBindings(String channelId) {
            return run(reads -> reads.channelBindings(channelId));
        }

        @Override
        public Optional<Pair> pair(long id) {
            return run(reads -> reads.pair(id));
        }

        @Override
        public Optional<Pair> openPair(String agentA, String agentB) {
            return run(reads -> reads.openPair(agentA, agentB));
        }

        @Override
        public List<Pair> pairs(PairQuery query) {
            return run(reads -> reads.pairs(query));
        }

        @Override
        public Optional<PolicyState> policyState(String policyName) {
            return run(reads -> reads.policyState(policyName));
        }

        @Override
        public List<PolicyState> policyStates() {
            return run(Reads::policyStates);
        }

        @Override
        public Optional<ConnectorRow> connector(String id) {
            return run(reads -> reads.connector(id));
        }

        @Override
        public List<ConnectorRow> connectors() {
            return run(Reads::connectors);
        }
    }

    private final class OneWritePerCall extends CommittedReads implements Tx {
        @Override
        public ChannelBinding upsertChannelBinding(NewBinding binding) {
            return inTransaction(tx -> tx.upsertChannelBinding(binding));
        }

        @Override
        public boolean deleteChannelBinding(long id) {
            return inTransaction(tx -> tx.deleteChannelBinding(id));
        }

        @Override
        public void saveAgent(AgentCard agent) {
            useTransaction(tx -> tx.saveAgent(agent));
        }

        @Override
        public boolean touchAgent(String id, AgentStatus status, long updatedAt, long lastSeenAt) {
            return inTransaction(tx -> tx.touchAgent(id, status, updatedAt, lastSeenAt));
        }

        @Override
        public boolean deleteAgent(String id) {
            return inTransaction(tx -> tx.deleteAgent(id));
        }

        @Override
        public Message insertMessage(NewMessage message) {
            return inTransaction(tx -> tx.insertMessage(message));
        }

        @Override
        public void updateClaim(long messageId, String holder, Long claimedAt, Long expiresAt) {
            useTransaction(tx -> tx.updateClaim(messageId, holder, claimedAt, expiresAt));
        }

        @Override
        public boolean markRead(long messageId, String agentId, long at) {
            return inTransaction(tx -> tx.markRead(messageId, agentId, at));
        }

        @Override
        public boolean deleteMessage(long id) {
            return inTransaction(tx -> tx.deleteMessage(id));
        }

        @Override
        public List<AgentCard> agentsSilentSince(long cutoff) {
            return inTransaction(tx -> tx.agentsSilentSince(cutoff));
        }

        @Override
        public List<Message> claimsToRelease(long now) {
            return inTransaction(tx -> tx.claimsToRelease(now));
        }

        @Override
        public boolean resolveQueued(long messageId, String agentId) {
            return inTransaction(tx -> tx.resolveQueued(messageId, agentId));
        }

        @Override
        public List<Message> queuedToExpire(long now, int limit) {
            return inTransaction(tx -> tx.queuedToExpire(now, limit));
        }

        @Override
        public boolean expireQueued(long messageId) {
            return inTransaction(tx -> tx.expireQueued(messageId));
        }

        @Override
        public long pruneBefore(long cutoff, int batch) {
            return inTransaction(tx -> tx.pruneBefore(cutoff, batch));
        }

        @Override
        public Task insertTask(NewTask task) {
            return inTransaction(tx -> tx.insertTask(task));
        }

        @Override
        public void saveTask(Task task) {
            useTransaction(tx -> tx.saveTask(task));
        }

        @Override
        public TaskEvent insertTaskEvent(TaskEvent event) {
            return inTransaction(tx -> tx.insertTaskEvent(event));
        }

        @Override
        public List<Task> tasksHeldByUnavailableAgents() {
            return inTransaction(Tx::tasksHeldByUnavailableAgents);
        }

        @Override
        public Delivery insertDelivery(String integration, Task task, long eventId, long at) {
            return inTransaction(tx -> tx.insertDelivery(integration, task, eventId, at));
        }

        @Override
        public void recordAttempt(DeliveryAttempt attempt, Delivery.State state, long nextAttemptAt) {
            useTransaction(tx -> tx.recordAttempt(attempt, state, nextAttemptAt));
        }

        @Override
        public void recordActivityReport(String clientId, long eventId, long at) {
            useTransaction(tx -> tx.recordActivityReport(clientId, eventId, at));
        }

        @Override
        public boolean reserveActivityReport(String clientId, long at) {
            return inTransaction(tx -> tx.reserveActivityReport(clientId, at));
        }

        @Override
        public boolean saveAgentIf(AgentCard agent, Long expectedEpoch) {
            return inTransaction(tx -> tx.saveAgentIf(agent, expectedEpoch));
        }

        @Override
        public Optional<Message> insertMessageOnce(NewMessage message) {
            return inTransaction(tx -> tx.insertMessageOnce(message));
        }

        @Override
        public boolean claimMessage(long messageId, String holder, long now, long expiresAt) {
            return inTransaction(tx -> tx.claimMessage(messageId, holder, now, expiresAt));
        }

        @Override
        public Optional<Task> insertTaskOnce(NewTask task) {
            return inTransaction(tx -> tx.insertTaskOnce(task));
        }

        @Override
        public boolean saveTaskIf(Task task, TaskStatus expected) {
            return inTransaction(tx -> tx.saveTaskIf(task, expected));
        }

        @Override
        public List<Delivery> leaseDueDeliveries(long now, int limit, long until) {
            return inTransaction(tx -> tx.leaseDueDeliveries(now, limit, until));
        }

        @Override
        public boolean acquireLease(String name, String holder, long now, long until) {
            return inTransaction(tx -> tx.acquireLease(name, holder, now, until));
        }

        @Override
        public void countOccurrence(long taskId, long at) {
            useTransaction(tx -> tx.countOccurrence(taskId, at));
        }

        @Override
        public ConfigEntry putConfig(ConfigWrite write) {
            return inTransaction(tx -> tx.putConfig(write));
        }

        @Override
        public Optional<ConfigEntry> putConfigIf(ConfigWrite write, long expectedVersion) {
            return inTransaction(tx -> tx.putConfigIf(write, expectedVersion));
        }

        @Override
        public OptionalLong deleteConfig(String namespace, String key, String updatedBy, long at) {
            return inTransaction(tx -> tx.deleteConfig(namespace, key, updatedBy, at));
        }

        @Override
        public OptionalLong deleteConfigIf(String namespace, String key, String updatedBy, long at, long expectedVersion) {
            return inTransaction(tx -> tx.deleteConfigIf(namespace, key, updatedBy, at, expectedVersion));
        }

        @Override
        public Event append(EventType type, Event.Origin origin, Event.Scope scope, Object data, long ts) {
            return inTransaction(tx -> tx.append(type, origin, scope, data, ts));
        }

        @Override
        public void saveOrchestrator(Orchestrator orchestrator) {
            useTransaction(tx -> tx.saveOrchestrator(orchestrator));
        }

        @Override
        public boolean touchOrchestrator(String id, OrchestratorStatus status, long updatedAt, long lastSeenAt) {
            return inTransaction(tx -> tx.touchOrchestrator(id, status, updatedAt, lastSeenAt));
        }

        @Override
        public boolean saveManagedAgents(String id, List<ManagedAgent> agents, long updatedAt) {
            return inTransaction(tx -> tx.saveManagedAgents(id, agents, updatedAt));
        }

        @Override
        public boolean deleteOrchestrator(String id) {
            return inTransaction(tx -> tx.deleteOrchestrator(id));
        }

        @Override
        public boolean savePolicyStateIf(PolicyState state) {
            return inTransaction(tx -> tx.savePolicyStateIf(state));
        }

        @Override
        public ConnectorRow registerConnector(ConnectorRegistration registration) {
            return inTransaction(tx -> tx.registerConnector(registration));
        }

        @Override
        public ConnectorRow putConnectorConfig(String id, String name, com.fasterxml.jackson.databind.JsonNode config,
                                               long at) {
            return inTransaction(tx -> tx.putConnectorConfig(id, name, config, at));
        }

        @Override
        public ConnectorRow recordConnectorAction(String id, String name,
                                                  io.agentrelay.api.Connector.LastAction action) {
            return inTransaction(tx -> tx.recordConnectorAction(id, name, action));
        }

        @Override
        public List<Orchestrator> orchestratorsSilentSince(long cutoff) {
            return inTransaction(tx -> tx.orchestratorsSilentSince(cutoff));
        }

        @Override
        public Command insertCommand(NewCommand command) {
            return inTransaction(tx -> tx.insertCommand(command));
        }

        @Override
        public boolean saveCommandIf(Command command, CommandStatus expected) {
            return inTransaction(tx -> tx.saveCommandIf(command, expected));
        }

        @Override
        public List<Command> commandsExpiredAt(long now) {
            return inTransaction(tx -> tx.commandsExpiredAt(now));
        }

        @Override
        public Optional<Pair> insertPairOnce(NewPair pair) {
            return inTransaction(tx -> tx.insertPairOnce(pair));
        }

        @Override
        public boolean savePairIf(Pair pair, PairStatus expected) {
            return inTransaction(tx -> tx.savePairIf(pair, expected));
        }

        @Override
        public List<Pair> pairsExpiredAt(long now) {
            return inTransaction(tx -> tx.pairsExpiredAt(now));
        }
    }

    // ---- pairs ----

    /** A pending pair of {@code from} and {@code to} made at {@code at}, expiring 600 s later, with every field set. */
    protected static NewPair newPair(String from, String to, long at) {
        return new NewPair(from, to, "flaky login test", "Shall we pair?", Map.of("ticket", "WEB-7", "prio", 2), at,
                at + 600_000);
    }

    private List<Long> pairIds(PairQuery query) {
        return reads().pairs(query).stream().map(Pair::id).toList();
    }

    @Test
    void anInsertedPairReadsBackAndAConditionalSaveMovesItOnlyFromTheExpectedStatus() {
        Pair inserted = writes().insertPairOnce(newPair("alice", "bob", 1_000)).orElseThrow();

        assertThat(inserted.status()).isEqualTo(PairStatus.PENDING);
        assertThat(inserted.meta()).containsEntry("ticket", "WEB-7");
        assertThat(reads().pair(inserted.id())).contains(inserted);
        Pair withInvitation = inserted.withMessageId(42);
        assertThat(writes().savePairIf(withInvitation, PairStatus.PENDING)).isTrue();
        assertThat(reads().pair(inserted.id())).contains(withInvitation);

        Pair active = withInvitation.moved(PairStatus.ACTIVE, "bob", "ignored while open", 2_000);
        assertThat(writes().savePairIf(active, PairStatus.ACTIVE)).as("not active yet").isFalse();
        assertThat(reads().pair(inserted.id())).contains(withInvitation);
        assertThat(writes().savePairIf(active, PairStatus.PENDING)).isTrue();
        assertThat(writes().savePairIf(active, PairStatus.PENDING)).as("no longer pending").isFalse();
        Pair read = reads().pair(inserted.id()).orElseThrow();
        assertThat(read).isEqualTo(active);
        assertThat(read.acceptedAt()).isEqualTo(2_000L);
        assertThat(read.reason()).isNull();

        Pair ended = active.moved(PairStatus.ENDED, "alice", "shipped", 3_000);
        assertThat(writes().savePairIf(ended, PairStatus.ACTIVE)).isTrue();
        assertThat(reads().pair(inserted.id())).contains(ended);
        assertThat(ended.closedBy()).isEqualTo("alice");
        assertThat(ended.closedAt()).isEqualTo(3_000L);
        assertThat(reads().pair(inserted.id() + 1)).isEmpty();
    }

    @Test
    void twoAgentsHaveAtMostOneOpenPairWhicheverInvitedAndAreFreeAgainOnceItCloses() {
        Pair first = writes().insertPairOnce(newPair("alice", "bob", 1_000)).orElseThrow();

        assertThat(writes().insertPairOnce(newPair("alice", "bob", 1_100))).isEmpty();
        assertThat(writes().insertPairOnce(newPair("bob", "alice", 1_100))).as("the other way round").isEmpty();
        assertThat(reads().openPair("bob", "alice")).contains(first);
        Pair other = writes().insertPairOnce(newPair("alice", "carol", 1_200)).orElseThrow();
        assertThat(reads().openPair("alice", "carol")).contains(other);

        Pair active = first.moved(PairStatus.ACTIVE, "bob", null, 2_000);
        writes().savePairIf(active, PairStatus.PENDING);
        assertThat(writes().insertPairOnce(newPair("bob", "alice", 2_100))).as("still open when active").isEmpty();
        writes().savePairIf(active.moved(PairStatus.ENDED, "alice", null, 3_000), PairStatus.ACTIVE);

        assertThat(reads().openPair("alice", "bob")).isEmpty();
        Pair again = writes().insertPairOnce(newPair("bob", "alice", 4_000)).orElseThrow();
        assertThat(reads().openPair("alice", "bob")).contains(again);
        for (PairStatus closing : List.of(PairStatus.REJECTED, PairStatus.EXPIRED)) {
            writes().savePairIf(reads().openPair("alice", "bob").orElseThrow().moved(closing, null, null, 5_000),
                    PairStatus.PENDING);
            assertThat(writes().insertPairOnce(newPair("alice", "bob", 5_000))).as("free after " + closing).isPresent();
        }
    }

    @Test
    void pairsAreListedNewestFirstAndFilteredByMemberAndStatus() {
        Pair ab = writes().insertPairOnce(newPair("alice", "bob", 1_000)).orElseThrow();
        Pair cb = writes().insertPairOnce(newPair("carol", "bob", 1_100)).orElseThrow();
        Pair ac = writes().insertPairOnce(newPair("alice", "carol", 1_200)).orElseThrow();
        writes().savePairIf(ac.moved(PairStatus.ACTIVE, "carol", null, 1_300), PairStatus.PENDING);

        assertThat(pairIds(new PairQuery(null, null, 100))).containsExactly(ac.id(), cb.id(), ab.id());
        assertThat(pairIds(new PairQuery("alice", null, 100))).as("as inviter").containsExactly(ac.id(), ab.id());
        assertThat(pairIds(new PairQuery("bob", null, 100))).as("as invitee").containsExactly(cb.id(), ab.id());
        assertThat(pairIds(new PairQuery("carol", null, 100))).as("both ways").containsExactly(ac.id(), cb.id());
        assertThat(pairIds(new PairQuery(null, PairStatus.PENDING, 100))).containsExactly(cb.id(), ab.id());
        assertThat(pairIds(new PairQuery("carol", PairStatus.ACTIVE, 100))).containsExactly(ac.id());
        assertThat(pairIds(new PairQuery(null, null, 2))).containsExactly(ac.id(), cb.id());
        assertThat(pairIds(new PairQuery("dave", null, 100))).isEmpty();
    }

    @Test
    void theExpiredPairsAreThePendingOnesPastTheirExpiry() {
        Pair due = writes().insertPairOnce(newPair("a", "b", 1_000)).orElseThrow();
        Pair later = writes().insertPairOnce(newPair("a", "c", 5_000)).orElseThrow();
        Pair accepted = writes().insertPairOnce(newPair("a", "d", 1_000)).orElseThrow();
        writes().savePairIf(accepted.moved(PairStatus.ACTIVE, "d", null, 1_500), PairStatus.PENDING);

        assertThat(writes().pairsExpiredAt(601_000)).extracting(Pair::id).containsExactly(due.id());
        assertThat(writes().pairsExpiredAt(600_999)).isEmpty();
        assertThat(writes().pairsExpiredAt(605_000)).extracting(Pair::id).containsExactly(due.id(), later.id());
    }

    @Test
    void aWriteThatBreaksAUniqueConstraintSaysSoOnEveryStore() {
        insert(draft("bob", "alice").key("k-1"));

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> insert(draft("bob", "alice").key("k-1")));
        while (thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        assertThat(thrown).isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.uniqueViolation()).isTrue());
        assertThat(reads().counts().messages()).as("nothing half-written").isEqualTo(1);
    }

    // ---- queued delivery: policy: and pool: targets ----

    @Test
    void queuedMessagesAreListedByTargetOldestFirstAndReachNobodyUntilResolved() {
        Message direct = insert(draft("bob", "alice"));
        Message first = insert(draft("bob", "policy:night").queued(null));
        Message second = insert(draft("bob", "policy:night").queued(60));
        Message elsewhere = insert(draft("bob", "pool:builders").queued(null));
        Audience alice = Audience.of(ALICE);

        assertThat(reads().queuedMessages("policy:night", 0, 10)).extracting(Message::id)
                .containsExactly(first.id(), second.id());
        assertThat(reads().queuedMessages("policy:night", first.id(), 10)).extracting(Message::id)
                .containsExactly(second.id());
        assertThat(reads().queuedMessages("policy:night", 0, 1)).hasSize(1);
        assertThat(reads().queuedTargets()).containsExactlyInAnyOrder("policy:night", "pool:builders");
        assertThat(inboxIds(alice, EVERYTHING)).containsExactly(direct.id());
        assertThat(reads().cursor(alice)).isEqualTo(direct.id());

        assertThat(writes().resolveQueued(second.id(), "alice")).isTrue();
        assertThat(writes().resolveQueued(second.id(), "carol")).as("resolved once").isFalse();
        assertThat(writes().resolveQueued(first.id() + 1_000, "carol")).as("no such message").isFalse();

        Message resolved = reads().message(second.id()).orElseThrow();
        assertThat(resolved.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(resolved.resolvedToAgent()).isEqualTo("alice");
        assertThat(alice.receives(resolved)).isTrue();
        assertThat(Audience.of(card("carol", AgentKind.PROVIDER, AgentStatus.ONLINE, List.of("night"), List.of(), 1_000))
                .receives(resolved)).isFalse();
        assertThat(inboxIds(alice, EVERYTHING)).as("the inbox reaches what was resolved to the agent")
                .containsExactly(direct.id(), second.id());
        assertThat(inboxIds(alice, new MessageQuery(direct.id(), 0, 10, null, null, false))).containsExactly(second.id());
        assertThat(reads().cursor(alice)).isEqualTo(second.id());
        assertThat(reads().queuedMessages("policy:night", 0, 10)).extracting(Message::id).containsExactly(first.id());
        assertThat(reads().lastResolved("alice", "policy:night")).isEqualTo(second.id());
        assertThat(reads().lastResolved("alice", "pool:builders")).isZero();
        assertThat(elsewhere.deliveryStatus()).isEqualTo(DeliveryStatus.QUEUED);
    }

    @Test
    void aQueuedMessageExpiresOnceItsMaxAgeRunsOutAndOnlyOnce() {
        long day30 = 2_592_000L * 1_000;
        Message longest = insert(draft("bob", "policy:night").queued(2_592_000).createdAt(1_000));
        Message minute = insert(draft("bob", "policy:night").queued(60).createdAt(1_000));
        insert(draft("bob", "policy:night").queued(null).createdAt(1_000));
        Message delivered = insert(draft("bob", "policy:night").queued(0).createdAt(1_000));
        writes().resolveQueued(delivered.id(), "alice");

        assertThat(writes().queuedToExpire(60_999, 10)).isEmpty();
        assertThat(writes().queuedToExpire(61_000, 10)).extracting(Message::id).containsExactly(minute.id());
        assertThat(writes().queuedToExpire(1_000 + day30, 10)).as("the largest maxAgeSeconds does not overflow")
                .extracting(Message::id).containsExactly(longest.id(), minute.id());
        assertThat(writes().expireQueued(minute.id())).isTrue();
        assertThat(writes().expireQueued(minute.id())).isFalse();
        assertThat(writes().expireQueued(delivered.id())).as("delivered before it ran out").isFalse();
        assertThat(writes().resolveQueued(minute.id(), "alice")).as("expired is final").isFalse();
        assertThat(reads().message(minute.id()).orElseThrow().deliveryStatus()).isEqualTo(DeliveryStatus.EXPIRED);
        assertThat(writes().queuedToExpire(1_000 + day30, 10)).extracting(Message::id).containsExactly(longest.id());
    }

    @Test
    void racingResolutionsOfOneQueuedMessageDeliverItOnce() {
        Message message = insert(draft("bob", "pool:builders").queued(null));

        List<Boolean> won = race(n -> tx -> tx.resolveQueued(message.id(), "agent-" + n));

        assertThat(won).containsOnlyOnce(true);
        assertThat(reads().message(message.id()).orElseThrow().resolvedToAgent()).isEqualTo("agent-" + won.indexOf(true));
    }

    @Test
    void aResolutionRacingAnExpiryLeavesTheMessageInOneStateOnly() {
        Message message = insert(draft("bob", "pool:builders").queued(0));

        List<Boolean> won = race(n -> tx -> n % 2 == 0 ? tx.resolveQueued(message.id(), "agent-" + n)
                : tx.expireQueued(message.id()));

        assertThat(won).containsOnlyOnce(true);
        Message after = reads().message(message.id()).orElseThrow();
        if (won.indexOf(true) % 2 == 0) {
            assertThat(after.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        } else {
            assertThat(after.deliveryStatus()).isEqualTo(DeliveryStatus.EXPIRED);
            assertThat(after.resolvedToAgent()).isNull();
        }
    }

    // ---- races: conditional writes, one winner on any number of nodes ----

    /**
     * A second node on the same database, for stores shared by several processes; null for a
     * store that has one process (its races run against the one store). Closed by the test.
     */
    protected Store openOtherNode(EventSink otherSink) {
        return null;
    }

    private static final int RACERS = 30;

    /**
     * Runs {@code RACERS} writes at once, alternating between this store and the other node, and
     * returns their results in racer order; every write must complete without an exception.
     */
    private <T> List<T> race(java.util.function.IntFunction<Function<Tx, T>> work) {
        Store other = openOtherNode(events -> { });
        try (ExecutorService racers = Executors.newFixedThreadPool(8)) {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<T>> writes = new ArrayList<>();
            for (int n = 0; n < RACERS; n++) {
                Store node = other != null && n % 2 == 1 ? other : store;
                Function<Tx, T> unit = work.apply(n);
                writes.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(start);
                    return node.write(unit);
                }, racers).thenCompose(write -> write));
            }
            start.countDown();
            return writes.stream().map(StoreContract::await).toList();
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    private static NewBinding bind(String channel, String conversation, ChannelBinding.TargetType type, String id,
                                   ChannelBinding.Mode mode, Long priority, long at) {
        return new NewBinding(channel, conversation, new ChannelBinding.BindingTarget(type, id), mode, priority, at);
    }

    @Test
    void aChannelBindingIsStoredAndReadBackAsBound() {
        ChannelBinding wide = writes().upsertChannelBinding(bind("slack-main", null, ChannelBinding.TargetType.TAG,
                "support", ChannelBinding.Mode.EXCLUSIVE, null, 1_000));
        ChannelBinding thread = writes().upsertChannelBinding(bind("slack-main", "C42", ChannelBinding.TargetType.BROADCAST,
                null, ChannelBinding.Mode.BROADCAST, 7L, 2_000));
        writes().upsertChannelBinding(bind("tg", null, ChannelBinding.TargetType.POLICY, "triage",
                ChannelBinding.Mode.EXCLUSIVE, -3L, 3_000));

        assertThat(wide.conversationId()).isNull();
        assertThat(wide.priority()).isNull();
        assertThat(wide.target()).isEqualTo(new ChannelBinding.BindingTarget(ChannelBinding.TargetType.TAG, "support"));
        assertThat(thread.target().id()).isNull();
        assertThat(thread.target().address()).isEqualTo("broadcast");
        assertThat(thread.createdAt()).isEqualTo(2_000);
        assertThat(reads().channelBinding(thread.id())).contains(thread);
        assertThat(reads().channelBindings("slack-main")).containsExactly(wide, thread);
        assertThat(reads().channelBindings(null)).extracting(ChannelBinding::channelId)
                .containsExactly("slack-main", "slack-main", "tg");
        assertThat(reads().channelBindings("nobody")).isEmpty();
    }

    @Test
    void bindingTheSamePairAgainChangesModeAndPriorityOfTheOneRow() {
        ChannelBinding first = writes().upsertChannelBinding(bind("web", "room-1", ChannelBinding.TargetType.AGENT, "alice",
                ChannelBinding.Mode.EXCLUSIVE, null, 1_000));
        ChannelBinding again = writes().upsertChannelBinding(bind("web", "room-1", ChannelBinding.TargetType.AGENT, "alice",
                ChannelBinding.Mode.BROADCAST, 5L, 2_000));
        ChannelBinding otherConversation = writes().upsertChannelBinding(bind("web", "room-2",
                ChannelBinding.TargetType.AGENT, "alice", ChannelBinding.Mode.EXCLUSIVE, null, 3_000));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.mode()).isEqualTo(ChannelBinding.Mode.BROADCAST);
        assertThat(again.priority()).isEqualTo(5L);
        assertThat(again.createdAt()).isEqualTo(1_000);
        assertThat(again.updatedAt()).isEqualTo(2_000);
        assertThat(otherConversation.id()).isNotEqualTo(first.id());
        assertThat(reads().channelBindings("web")).containsExactly(again, otherConversation);
    }

    @Test
    void aDeletedBindingIsGoneAndDeletingItAgainReportsNothing() {
        ChannelBinding binding = writes().upsertChannelBinding(bind("web", null, ChannelBinding.TargetType.CAPABILITY,
                "triage", ChannelBinding.Mode.EXCLUSIVE, null, 1_000));

        assertThat(writes().deleteChannelBinding(binding.id())).isTrue();
        assertThat(writes().deleteChannelBinding(binding.id())).isFalse();
        assertThat(reads().channelBinding(binding.id())).isEmpty();
        assertThat(reads().channelBindings("web")).isEmpty();
    }

    /** Racing binds of one (channel, conversation, target), half on another node: one row, no failure. */
    @Test
    void racingBindsOfOnePairMakeOneRow() {
        List<ChannelBinding> bound = race(n -> tx -> tx.upsertChannelBinding(bind("slack", "C1",
                ChannelBinding.TargetType.LABEL, "backend fixer", ChannelBinding.Mode.EXCLUSIVE, (long) n, 1_000 + n)));

        assertThat(bound).extracting(ChannelBinding::id).containsOnly(bound.get(0).id());
        List<ChannelBinding> stored = reads().channelBindings("slack");
        assertThat(stored).hasSize(1);
        assertThat(bound).as("the row holds one racer's priority").extracting(ChannelBinding::priority)
                .contains(stored.get(0).priority());
    }

    @Test
    void racingClaimsOfOneMessageHaveExactlyOneWinner() {
        Message message = insert(draft("bob", "tag:review").claimable());

        List<Boolean> won = race(n -> tx -> tx.claimMessage(message.id(), "agent-" + n, 1_000, 301_000));

        assertThat(won).containsOnlyOnce(true);
        String winner = "agent-" + won.indexOf(true);
        assertThat(reads().message(message.id()).orElseThrow().claimedBy()).isEqualTo(winner);
    }

    @Test
    void aClaimIsRefusedWhileAnotherHoldsItAndTakenOnceItExpires() {
        Message message = insert(draft("bob", "tag:review").claimable());
        Message plain = insert(draft("bob", "tag:review"));

        assertThat(writes().claimMessage(message.id(), "alice", 1_000, 2_000)).isTrue();
        assertThat(writes().claimMessage(message.id(), "carol", 1_500, 2_500)).as("held until 2000").isFalse();
        assertThat(writes().claimMessage(message.id(), "alice", 1_500, 2_500)).as("the holder renews").isTrue();
        assertThat(writes().claimMessage(message.id(), "carol", 2_500, 3_500)).as("expired at 2500").isTrue();
        assertThat(writes().claimMessage(plain.id(), "carol", 2_500, 3_500)).as("not claimable").isFalse();
        assertThat(reads().message(message.id()).orElseThrow().claimExpiresAt()).isEqualTo(3_500);
    }

    @Test
    void racingInsertsOfOneIdempotencyKeyMakeOneRow() {
        List<Optional<Message>> inserted = race(n -> tx -> tx.insertMessageOnce(draft("bob", "alice").key("once").build()));

        assertThat(inserted.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(reads().counts().messages()).isEqualTo(1);
        assertThat(reads().messageByIdempotencyKey("bob", "once")).isPresent();
    }

    @Test
    void racingInsertsOfOneDedupeKeyMakeOneActiveTask() {
        List<Optional<Task>> inserted = race(n -> tx -> tx.insertTaskOnce(newTask("ci", "alice", null, "build-7", 1_000)));

        assertThat(inserted.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(reads().tasks(new TaskQuery(null, null, null, null, 0, 100))).hasSize(1);
    }

    @Test
    void aDedupeKeyIsFreeAgainOnceItsTaskIsClosed() {
        Task first = writes().insertTaskOnce(newTask("ci", "alice", null, "k", 1_000)).orElseThrow();
        assertThat(writes().insertTaskOnce(newTask("ci", "alice", null, "k", 1_100))).isEmpty();

        assertThat(writes().saveTaskIf(first.moved(TaskStatus.DONE, null, null, null, null, 2_000), TaskStatus.OPEN))
                .isTrue();

        assertThat(writes().insertTaskOnce(newTask("ci", "alice", null, "k", 3_000))).isPresent();
    }

    @Test
    void racingClaimsOfOneTaskHaveExactlyOneWinner() {
        Task task = writes().insertTask(newTask("ci", "tag:ops", null, null, 1_000));

        List<Boolean> won = race(n -> tx -> tx.saveTaskIf(
                task.moved(TaskStatus.CLAIMED, "agent-" + n, 2_000L, null, null, 2_000), TaskStatus.OPEN));

        assertThat(won).containsOnlyOnce(true);
        assertThat(reads().task(task.id()).orElseThrow().claimedBy()).isEqualTo("agent-" + won.indexOf(true));
    }

    @Test
    void racingMovesOfOneCommandHaveExactlyOneWinner() {
        Command command = writes().insertCommand(newCommand("orchestrator-builder", 1_000));

        List<Boolean> won = race(n -> tx -> tx.saveCommandIf(
                command.moved(CommandStatus.ACCEPTED, "executor-" + n, "n" + n, null, null, 2_000), CommandStatus.PENDING));

        assertThat(won).containsOnlyOnce(true);
        Command now = reads().command(command.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(now.claimedBy()).isEqualTo("executor-" + won.indexOf(true));
        assertThat(now.progress()).isEqualTo("n" + won.indexOf(true));
    }

    @Test
    void racingInvitationsOfTwoAgentsMakeOneOpenPairWhicheverInvites() {
        List<Optional<Pair>> inserted = race(n -> tx -> tx.insertPairOnce(
                n % 4 < 2 ? newPair("alice", "bob", 1_000 + n) : newPair("bob", "alice", 1_000 + n)));

        assertThat(inserted.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        assertThat(reads().pairs(new PairQuery(null, null, 100))).hasSize(1);
        assertThat(reads().openPair("alice", "bob")).isEqualTo(inserted.stream().flatMap(Optional::stream).findFirst());
    }

    @Test
    void racingAcceptsAndRejectsOfOnePairHaveExactlyOneWinner() {
        Pair pair = writes().insertPairOnce(newPair("alice", "bob", 1_000)).orElseThrow();

        List<Boolean> won = race(n -> tx -> tx.savePairIf(
                pair.moved(n % 2 == 0 ? PairStatus.ACTIVE : PairStatus.REJECTED, "bob", "racer " + n, 2_000 + n),
                PairStatus.PENDING));

        assertThat(won).containsOnlyOnce(true);
        int winner = won.indexOf(true);
        Pair now = reads().pair(pair.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(winner % 2 == 0 ? PairStatus.ACTIVE : PairStatus.REJECTED);
        assertThat(now.updatedAt()).isEqualTo(2_000L + winner);
    }

    @Test
    void racingOccurrencesAreAllCounted() {
        Task task = writes().insertTask(newTask("ci", "tag:ops", null, "flaky", 1_000));

        race(n -> tx -> {
            tx.countOccurrence(task.id(), 2_000 + n);
            return null;
        });

        assertThat(reads().task(task.id()).orElseThrow().occurrenceCount()).isEqualTo(1 + RACERS);
    }

    @Test
    void racingReportsOfOneClientIdReserveItOnce() {
        // Each racer does what a report does: reserve the id, and only if that worked, record its item.
        List<Boolean> reserved = race(n -> tx -> {
            if (!tx.reserveActivityReport("client-1", 1_000 + n)) {
                return false;
            }
            Event item = tx.append(EventType.ACTIVITY_REPORTED, Event.Origin.server(null), Event.Scope.NONE, Map.of("n", n), 1_000 + n);
            tx.recordActivityReport("client-1", item.id(), 1_000 + n);
            return true;
        });

        assertThat(reserved).containsOnlyOnce(true);
        assertThat(reads().reportedActivity("client-1").orElseThrow().data()).isEqualTo("{\"n\":" + reserved.indexOf(true) + "}");
    }

    @Test
    void racingRegistrationsCompareAndSetTheEpochOnce() {
        writes().saveAgent(ALICE);

        List<Boolean> won = race(n -> tx -> tx.saveAgentIf(new AgentCard("alice", "Alice", AgentKind.PROVIDER, null,
                List.of(), List.of(), AgentStatus.ONLINE, true, null, "inst-" + n, ALICE.epoch() + 1, Map.of(),
                ALICE.createdAt(), 5_000, 5_000), ALICE.epoch()));

        assertThat(won).containsOnlyOnce(true);
        AgentCard now = reads().agent("alice").orElseThrow();
        assertThat(now.epoch()).isEqualTo(ALICE.epoch() + 1);
        assertThat(now.instanceId()).isEqualTo("inst-" + won.indexOf(true));
    }

    @Test
    void racingFirstRegistrationsInsertOnce() {
        List<Boolean> won = race(n -> tx -> tx.saveAgentIf(card("zed", AgentKind.PROVIDER, AgentStatus.ONLINE,
                List.of("n" + n), List.of(), 1_000), null));

        assertThat(won).containsOnlyOnce(true);
        assertThat(reads().agent("zed").orElseThrow().tags()).containsExactly("n" + won.indexOf(true));
    }

    @Test
    void racingNodesLeaseEachDueCallbackOnceAndAnAttemptFreesIt() {
        List<Delivery> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Task task = writes().insertTask(newTask("ci", "alice", null, null, 1_000));
            queued.add(writes().insertDelivery("ci", task, 1, 1_000));
        }

        List<List<Delivery>> leased = race(n -> tx -> tx.leaseDueDeliveries(2_000, 32, 62_000));

        List<Long> ids = leased.stream().flatMap(List::stream).map(Delivery::id).toList();
        assertThat(ids).as("each due callback leased to exactly one racer")
                .containsExactlyInAnyOrderElementsOf(queued.stream().map(Delivery::id).toList());
        assertThat(writes().leaseDueDeliveries(3_000, 32, 63_000)).as("held until 62000").isEmpty();

        Delivery first = queued.get(0);
        writes().recordAttempt(new DeliveryAttempt(first.id(), 1, 3_000, 503, "busy"), Delivery.State.PENDING, 4_000);
        assertThat(writes().leaseDueDeliveries(4_000, 32, 64_000)).extracting(Delivery::id).containsExactly(first.id());
        assertThat(writes().leaseDueDeliveries(70_000, 32, 130_000)).as("leases run out")
                .extracting(Delivery::id).hasSize(5);
    }

    @Test
    void aNamedLeaseIsHeldByOneHolderUntilItRunsOut() {
        List<Boolean> won = race(n -> tx -> tx.acquireLease("reaper", "node-" + n, 1_000, 31_000));
        assertThat(won).containsOnlyOnce(true);
        String holder = "node-" + won.indexOf(true);
        String other = holder.equals("node-0") ? "node-1" : "node-0";

        assertThat(writes().acquireLease("reaper", other, 20_000, 50_000)).as("still held").isFalse();
        assertThat(writes().acquireLease("reaper", holder, 20_000, 50_000)).as("the holder renews").isTrue();
        assertThat(writes().acquireLease("reaper", other, 40_000, 70_000)).as("renewed until 50000").isFalse();
        assertThat(writes().acquireLease("reaper", other, 50_000, 80_000)).as("ran out").isTrue();
    }

    /**
     * Many writers of one key, half of them on another node: every write gets its own version, none
     * is lost, and the history holds exactly one row per version with no gap.
     */
    @Test
    void racingWritesOfOneConfigKeyEachGetADistinctVersionAndTheHistoryHasNoGap() {
        List<ConfigEntry> written = race(n -> tx -> tx.putConfig(new ConfigWrite("ns", "hot", json(Integer.toString(n)),
                "writer-" + n, 1_000 + n)));

        assertThat(written).extracting(ConfigEntry::version)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, RACERS).boxed().toList());
        List<ConfigRevision> history = reads().configHistory("ns", "hot", 0, 500);
        assertThat(history).extracting(ConfigRevision::version)
                .containsExactlyElementsOf(LongStream.iterate(RACERS, v -> v >= 1, v -> v - 1).boxed().toList());
        for (ConfigEntry entry : written) {
            assertThat(history).as("version %d keeps what its writer wrote", entry.version())
                    .contains(new ConfigRevision("ns", "hot", entry.version(), entry.value(), false, entry.updatedBy(),
                            entry.updatedAt()));
        }
        ConfigEntry last = written.stream().filter(entry -> entry.version() == RACERS).findFirst().orElseThrow();
        assertThat(reads().configEntry("ns", "hot")).contains(last);
    }

    /** Writers and deleters of one key racing: each write that happened has its own version, in one gapless history. */
    @Test
    void racingWritesAndDeletesOfOneConfigKeyKeepOneGaplessHistory() {
        writes().putConfig(new ConfigWrite("ns", "churn", json("0"), null, 1_000));

        List<OptionalLong> versions = race(n -> tx -> n % 3 == 0
                ? tx.deleteConfig("ns", "churn", "deleter-" + n, 2_000 + n)
                : OptionalLong.of(tx.putConfig(new ConfigWrite("ns", "churn", json(Integer.toString(n)), null, 2_000 + n))
                        .version()));

        List<Long> taken = versions.stream().filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).toList();
        assertThat(taken).doesNotHaveDuplicates().allSatisfy(v -> assertThat(v).isBetween(2L, 1L + RACERS));
        List<Long> history = reads().configHistory("ns", "churn", 0, 500).stream().map(ConfigRevision::version).toList();
        assertThat(history).as("one row per write, versions 1..n without a gap")
                .containsExactlyElementsOf(LongStream.iterate(1 + taken.size(), v -> v >= 1, v -> v - 1).boxed().toList());
    }

    @Test
    void racingCompareAndSetsOfOneConfigVersionHaveExactlyOneWinner() {
        writes().putConfig(new ConfigWrite("ns", "cas", json("0"), null, 1_000));

        List<Optional<ConfigEntry>> won = race(n -> tx -> tx.putConfigIf(new ConfigWrite("ns", "cas",
                json(Integer.toString(n)), "writer-" + n, 2_000), 1));

        assertThat(won.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        ConfigEntry winner = won.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        assertThat(winner.version()).isEqualTo(2);
        assertThat(reads().configEntry("ns", "cas")).contains(winner);
        assertThat(reads().configHistory("ns", "cas", 0, 500)).extracting(ConfigRevision::version).containsExactly(2L, 1L);
    }

    // ---- spawn policies: managed-agent state ----

    private static PolicyState policyState(String name, PolicyStatus status, long version, long at) {
        return new PolicyState(name, status, status == PolicyStatus.RUNNING ? "builder-claude-1" : null, "builder",
                Provider.CLAUDE, "relay-claude-1", "sp_" + version, 1_000L, null, 0, 0,
                status == PolicyStatus.RUNNING ? at : null, null, at, version);
    }

    @Test
    void aPolicyStateIsInsertedAtVersionOneAndEachChangeIsACompareAndSetOnTheVersionBefore() {
        assertThat(reads().policyState("api-fixer")).isEmpty();
        PolicyState starting = policyState("api-fixer", PolicyStatus.STARTING, 1, 1_000);
        assertThat(writes().savePolicyStateIf(starting)).isTrue();
        assertThat(writes().savePolicyStateIf(policyState("api-fixer", PolicyStatus.STARTING, 1, 1_500)))
                .as("a second first write finds the row").isFalse();
        assertThat(reads().policyState("api-fixer")).contains(starting);

        PolicyState running = new PolicyState("api-fixer", PolicyStatus.RUNNING, "builder-claude-1", "builder",
                Provider.CODEX, null, "sp_1", 1_000L, 1_900L, 2, 3, 2_000L, "it broke", 2_000, 2);
        assertThat(writes().savePolicyStateIf(running)).isTrue();
        assertThat(writes().savePolicyStateIf(policyState("api-fixer", PolicyStatus.STOPPING, 2, 3_000)))
                .as("written against version 1, which is gone").isFalse();
        assertThat(writes().savePolicyStateIf(policyState("api-fixer", PolicyStatus.STOPPING, 4, 3_000)))
                .as("skipping a version").isFalse();
        assertThat(reads().policyState("api-fixer")).contains(running);

        PolicyState other = policyState("a-first", PolicyStatus.FAILED, 1, 500);
        writes().savePolicyStateIf(other);
        assertThat(reads().policyStates()).containsExactly(other, running);
    }

    @Test
    void aPolicyStateWithEveryOptionalFieldEmptyReadsBackAsWritten() {
        PolicyState bare = new PolicyState("bare", PolicyStatus.STOPPED, null, null, null, null, null, null, null, 0, 0,
                null, null, 0, 1);
        writes().savePolicyStateIf(bare);
        assertThat(reads().policyState("bare")).contains(bare);
    }

    /** Thirty writers (half on another node) moving one state from the version they all read: one wins. */
    @Test
    void racingCompareAndSetsOfOnePolicyStateHaveExactlyOneWinner() {
        writes().savePolicyStateIf(policyState("hot", PolicyStatus.STOPPED, 1, 1_000));

        List<Boolean> won = race(n -> tx -> tx.savePolicyStateIf(new PolicyState("hot", PolicyStatus.STARTING, null,
                "builder", Provider.CLAUDE, null, "sp_racer-" + n, 2_000L + n, null, 0, 0, null, null, 2_000 + n, 2)));

        assertThat(won.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
        int winner = won.indexOf(true);
        PolicyState stored = reads().policyState("hot").orElseThrow();
        assertThat(stored.spawnRequestId()).isEqualTo("sp_racer-" + winner);
        assertThat(stored.version()).isEqualTo(2);
    }

    /** Thirty first writes of a state nobody wrote yet: one row, from one of them. */
    @Test
    void racingFirstWritesOfOnePolicyStateMakeOneRow() {
        List<Boolean> won = race(n -> tx -> tx.savePolicyStateIf(new PolicyState("fresh", PolicyStatus.STARTING, null,
                "builder", Provider.CLAUDE, null, "sp_racer-" + n, 2_000L, null, 0, 0, null, null, 2_000, 1)));

        assertThat(won.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
        assertThat(reads().policyState("fresh").orElseThrow().spawnRequestId())
                .isEqualTo("sp_racer-" + won.indexOf(true));
    }

    // ---- connectors ----

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return io.agentrelay.api.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRegisteredConnectorReadsBackAndReRegisteringKeepsItsConfigUnlessGiven() {
        ConnectorRow first = writes().registerConnector(new ConnectorRegistration("slack", "Slack", "bridge", "1.0",
                "slack", tree("{\"token\":\"t\"}"), null, 1_000));
        assertThat(first.registered()).isTrue();
        assertThat(first.config()).isEqualTo(tree("{\"token\":\"t\"}"));
        assertThat(first.state()).isNull();
        assertThat(first.lastAction()).isNull();
        assertThat(first.createdAt()).isEqualTo(1_000);

        ConnectorRow again = writes().registerConnector(new ConnectorRegistration("slack", "Slack 2", null, null, null,
                null, tree("{\"n\":1}"), 2_000));
        assertThat(again.name()).isEqualTo("Slack 2");
        assertThat(again.description()).isNull();
        assertThat(again.config()).as("kept").isEqualTo(tree("{\"token\":\"t\"}"));
        assertThat(again.state()).isEqualTo(tree("{\"n\":1}"));
        assertThat(again.createdAt()).isEqualTo(1_000);
        assertThat(again.updatedAt()).isEqualTo(2_000);
        assertThat(reads().connector("slack")).contains(again);
        assertThat(reads().connector("nope")).isEmpty();
    }

    @Test
    void configAndLastActionWritesMakeAnUnregisteredRowAndChangeOnlyTheirOwnColumns() {
        io.agentrelay.api.Connector.LastAction failed = new io.agentrelay.api.Connector.LastAction("start", false, 3,
                5_000, 120);
        ConnectorRow acted = writes().recordConnectorAction("irc", "IRC", failed);
        assertThat(acted.registered()).isFalse();
        assertThat(acted.name()).isEqualTo("IRC");
        assertThat(acted.lastAction()).isEqualTo(failed);
        assertThat(acted.createdAt()).isEqualTo(5_000);

        ConnectorRow configured = writes().putConnectorConfig("irc", "ignored", tree("{\"password\":\"p\"}"), 6_000);
        assertThat(configured.name()).isEqualTo("IRC");
        assertThat(configured.lastAction()).isEqualTo(failed);
        assertThat(configured.config()).isEqualTo(tree("{\"password\":\"p\"}"));

        io.agentrelay.api.Connector.LastAction timedOut = new io.agentrelay.api.Connector.LastAction("stop", false,
                null, 7_000, 1_000);
        ConnectorRow again = writes().recordConnectorAction("irc", "ignored", timedOut);
        assertThat(again.lastAction()).isEqualTo(timedOut);
        assertThat(again.config()).isEqualTo(tree("{\"password\":\"p\"}"));
        assertThat(again.updatedAt()).isEqualTo(7_000);

        writes().registerConnector(new ConnectorRegistration("a-first", "A", null, null, null, null, null, 1));
        assertThat(reads().connectors()).extracting(ConnectorRow::id).containsExactly("a-first", "irc");
    }

    /** Thirty registrations of one connector at once (half on another node): one row, no failure. */
    @Test
    void racingRegistrationsOfOneConnectorMakeOneRow() {
        List<ConnectorRow> rows = race(n -> tx -> tx.registerConnector(new ConnectorRegistration("hot", "racer-" + n,
                null, null, null, null, null, 1_000 + n)));

        assertThat(rows).hasSize(RACERS);
        assertThat(reads().connectors()).hasSize(1);
        assertThat(reads().connector("hot").orElseThrow().name()).startsWith("racer-");
    }

    /**
     * The property the log tailer rests on: a reader that pages {@code id > cursor} while writers on
     * every node append never moves past an id that becomes visible later, so it sees every event.
     */
    @Test
    void eventIdsBecomeVisibleInIdOrderSoAReaderFollowingTheLogMissesNone() throws Exception {
        Store other = openOtherNode(events -> { });
        List<Store> nodes = other == null ? List.of(store) : List.of(store, other);
        List<Long> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (ExecutorService writers = Executors.newFixedThreadPool(6)) {
            Thread reader = Thread.ofPlatform().start(() -> {
                boolean lastPass = false;
                while (true) {
                    boolean done = !writing.get();
                    List<Event> page = await(store.read(r -> r.events(EventQuery.after(0, 1).range(
                            seen.isEmpty() ? 0 : seen.get(seen.size() - 1), Long.MAX_VALUE, 200))));
                    page.forEach(event -> seen.add(event.id()));
                    if (page.isEmpty() && done) {
                        if (lastPass) {
                            return;
                        }
                        lastPass = true;
                    }
                }
            });
            List<CompletableFuture<Object>> appends = new ArrayList<>();
            for (int n = 0; n < 600; n++) {
                Store node = nodes.get(n % nodes.size());
                int size = 1 + n % 3;
                appends.add(CompletableFuture.supplyAsync(() -> node.write(tx -> {
                    for (int i = 0; i < size; i++) {
                        tx.append(EventType.MESSAGE_NEW, Event.Origin.server(null), Event.Scope.NONE, Map.of("n", 1), 1);
                    }
                    return null;
                }), writers).thenCompose(write -> write));
            }
            appends.forEach(StoreContract::await);
            writing.set(false);
            reader.join(WAIT.toMillis());
            assertThat(reader.isAlive()).isFalse();
        } finally {
            if (other != null) {
                other.close();
            }
        }
        List<Long> all = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Long> page = eventIds(EventQuery.after(after, 1_000));
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            after = page.get(page.size() - 1);
        }
        assertThat(all).hasSize(600 / 3 * 6);
        assertThat(seen).as("a reader following the log saw every event, in order").containsExactlyElementsOf(all);
    }

    private List<String> agentIds(AgentQuery query) {
        return reads().agents(query).stream().map(AgentCard::id).toList();
    }

    private List<Long> inboxIds(Audience audience, MessageQuery query) {
        return reads().inbox(audience, query).stream().map(Message::id).toList();
    }

    private List<Long> recentIds(MessageQuery query) {
        return reads().recent(query).stream().map(Message::id).toList();
    }

    protected List<Long> eventIds(EventQuery query) {
        return reads().events(query).stream().map(Event::id).toList();
    }

    private static MessageQuery page(long since, int limit) {
        return new MessageQuery(since, 0, limit, null, null, false);
    }

    protected static <T> T await(CompletableFuture<T> future) {
        return future.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /**
     * Occupies the writer with a unit that waits for {@code release}, and returns once that unit
     * runs: writes submitted until then queue up behind it and, in a group-committing store, commit
     * together in the next group. The unit gives up after {@link #WAIT}, so a failing test cannot
     * hang the store's close.
     */
    protected static CompletableFuture<Void> holdWriter(Store target, CountDownLatch release) {
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> hold = target.write(tx -> {
            holding.countDown();
            awaitQuietly(release);
            return null;
        });
        awaitQuietly(holding);
        assertThat(holding.getCount()).as("the writer took the holding unit").isZero();
        return hold;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected static void assertStrictlyIncreasing(List<Long> ids) {
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
