package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.server.testing.TestRelay;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's typed calls against a real relay (real HTTP, real SQLite file). */
class RelayClientTest {
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

    @Test
    void registeringReportsWhetherTheAgentIsNewAndRoundTripsEveryField() {
        Registration alice = Registration.builder("alice", "Alice").kind(AgentKind.USER).label("lead")
                .tags("review", "java").capabilities("code-review").machine("box-1").instanceId("proc-1")
                .meta(Map.of("team", "core")).ready(true).build();

        Registered first = client.agents().register(alice);
        Registered again = client.agents().register(alice);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        AgentCard card = client.agents().get("alice");
        assertThat(card.kind()).isEqualTo(AgentKind.USER);
        assertThat(card.label()).isEqualTo("lead");
        assertThat(card.tags()).containsExactly("review", "java");
        assertThat(card.capabilities()).containsExactly("code-review");
        assertThat(card.instanceId()).isEqualTo("proc-1");
        assertThat(card.meta()).containsEntry("team", "core");
        assertThat(card.ready()).isTrue();
        assertThat(card.status()).isEqualTo(AgentStatus.ONLINE);
    }

    @Test
    void listingFiltersByStatusTagAndCapability() {
        client.agents().register(Registration.builder("alice", "Alice").tags("review").build());
        client.agents().register(Registration.builder("bob", "Bob").capabilities("deploy").build());
        client.agents().patch("bob", AgentPatch.NONE.withStatus(AgentStatus.BUSY));

        assertThat(client.agents().list()).extracting(AgentCard::id).containsExactlyInAnyOrder("alice", "bob");
        assertThat(client.agents().list(AgentFilter.ALL.withTag("review"))).extracting(AgentCard::id).containsExactly("alice");
        assertThat(client.agents().list(AgentFilter.ALL.withCapability("deploy"))).extracting(AgentCard::id).containsExactly("bob");
        assertThat(client.agents().list(AgentFilter.ALL.withStatus(AgentStatus.BUSY))).extracting(AgentCard::id).containsExactly("bob");
    }

    @Test
    void anUnknownAgentIsNotFoundWithTheRelaysMessage() {
        assertThatThrownBy(() -> client.agents().get("nobody"))
                .isInstanceOfSatisfying(RelayException.NotFound.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("agent nobody not found");
                });
        assertThatThrownBy(() -> client.agents().heartbeat("nobody")).isInstanceOf(RelayException.NotFound.class);
    }

    @Test
    void heartbeatWithAStatusSetsItAndAStaleSessionIsAConflict() {
        client.agents().register(Registration.builder("alice", "Alice").instanceId("old").build());
        AgentCard newer = client.agents().register(Registration.builder("alice", "Alice").instanceId("new").build()).agent();

        Presence idle = client.agents().heartbeat("alice", SessionGuard.of(newer), AgentStatus.IDLE);

        assertThat(idle.status()).isEqualTo(AgentStatus.IDLE);
        assertThat(idle.epoch()).isEqualTo(2);
        assertThatThrownBy(() -> client.agents().heartbeat("alice", new SessionGuard("old", 1L), null))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> assertThat(e.staleSession()).isTrue());
    }

    @Test
    void aMessageCarriesEveryFieldAndAnIdempotencyKeySendsOnce() {
        SendMessage message = SendMessage.builder("bob", "cap:review", "Review PR #42").kind(MessageKind.TASK)
                .subject("PR 42").claimable(true).idempotencyKey("pr-42").meta(Map.of("priority", "high"))
                .payload(Map.of("pr", 42)).channel("ci").maxAgeSeconds(3600).build();

        Sent first = client.messages().send(message);
        Sent second = client.messages().send(message);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.message().id()).isEqualTo(first.message().id());
        Message stored = client.messages().get(first.message().id());
        assertThat(stored.from()).isEqualTo("bob");
        assertThat(stored.to()).isEqualTo("cap:review");
        assertThat(stored.kind()).isEqualTo(MessageKind.TASK);
        assertThat(stored.subject()).isEqualTo("PR 42");
        assertThat(stored.claimable()).isTrue();
        assertThat(stored.meta()).containsEntry("priority", "high");
        assertThat(stored.payload()).containsEntry("pr", 42);
        assertThat(stored.channel()).isEqualTo("ci");
        assertThat(stored.maxAgeSeconds()).isEqualTo(3600);
    }

    @Test
    void theInboxShowsUnreadByDefaultAndTheCursorPagesForward() {
        client.agents().register(Registration.builder("alice", "Alice").tags("review").build());
        long one = client.messages().send("bob", "alice", "one").message().id();
        long two = client.messages().send("bob", "tag:review", "two").message().id();
        client.messages().send("bob", "tag:other", "not for alice");

        Inbox unread = client.messages().inbox("alice", InboxQuery.UNREAD);
        List<Long> marked = client.messages().markRead("alice", List.of(one));
        Inbox stillUnread = client.messages().inbox("alice", InboxQuery.UNREAD);
        Inbox everything = client.messages().inbox("alice", InboxQuery.ALL);
        Inbox afterFirst = client.messages().inbox("alice", InboxQuery.ALL.withSince(one));

        assertThat(unread.messages()).extracting(Message::body).containsExactly("one", "two");
        assertThat(unread.cursor()).isEqualTo(two);
        assertThat(marked).containsExactly(one);
        assertThat(stillUnread.messages()).extracting(Message::id).containsExactly(two);
        assertThat(everything.messages()).extracting(Message::read).containsExactly(true, false);
        assertThat(afterFirst.messages()).extracting(Message::id).containsExactly(two);
        assertThat(client.messages().cursor("alice")).isEqualTo(two);
        assertThat(client.messages().markReadUpTo("alice", two)).containsExactly(two);
    }

    @Test
    void aPolicyMessageWaitsUntilThePolicysAgentRegisters() {
        Sent waiting = client.messages().send("bob", "policy:nightly", "run it");
        List<Message> queued = client.messages().queued("policy:nightly", 10);

        client.agents().register(Registration.builder("night-1", "Night").meta(Map.of("policyName", "nightly")).build());

        assertThat(waiting.message().deliveryStatus()).isEqualTo(DeliveryStatus.QUEUED);
        assertThat(queued).extracting(Message::id).containsExactly(waiting.message().id());
        assertThat(client.messages().queued("policy:nightly", 10)).isEmpty();
        Message delivered = client.messages().get(waiting.message().id());
        assertThat(delivered.deliveryStatus()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.resolvedToAgent()).isEqualTo("night-1");
        assertThat(client.messages().inbox("night-1", InboxQuery.ALL).messages()).extracting(Message::id)
                .containsExactly(waiting.message().id());
    }

    @Test
    void aReplyGoesToTheSenderInTheSameThread() {
        long question = client.messages().send("bob", "alice", "ready?").message().id();
        Sent answer = client.messages().reply(question, "alice", "yes");

        assertThat(answer.message().to()).isEqualTo("bob");
        assertThat(answer.message().replyTo()).isEqualTo(question);
        assertThat(client.messages().thread(answer.message().id())).extracting(Message::body).containsExactly("ready?", "yes");
    }

    @Test
    void onlyOneAgentWinsAClaimAndTheLoserLearnsWhoHoldsIt() {
        client.agents().register(Registration.builder("alice", "Alice").tags("review").build());
        client.agents().register(Registration.builder("carol", "Carol").tags("review").build());
        long id = client.messages().send(SendMessage.builder("bob", "tag:review", "take me").claimable(true).build())
                .message().id();

        Message claimed = client.messages().claim(id, "alice");

        assertThat(claimed.claimedBy()).isEqualTo("alice");
        assertThatThrownBy(() -> client.messages().claim(id, "carol"))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> {
                    assertThat(e.claimedBy()).isEqualTo("alice");
                    assertThat(e.getMessage()).contains("already claimed by alice");
                });
        assertThat(client.messages().status(id).claimedBy()).isEqualTo("alice");
        assertThat(client.messages().release(id, "alice").claimedBy()).isNull();
        assertThat(client.messages().claim(id, "carol").claimedBy()).isEqualTo("carol");
    }

    @Test
    void theDeliveryReportNamesRecipientsAndReaders() {
        client.agents().register(Registration.builder("alice", "Alice").tags("review").build());
        client.agents().register(Registration.builder("carol", "Carol").tags("review").build());
        long id = client.messages().send("bob", "tag:review", "hello").message().id();
        client.messages().markRead("carol", List.of(id));

        DeliveryReport report = client.messages().status(id);

        assertThat(report.recipients()).containsExactlyInAnyOrder("alice", "carol");
        assertThat(report.readBy()).extracting(DeliveryReport.ReadMark::agentId).containsExactly("carol");
    }

    @Test
    void invalidInputNamesTheField() {
        assertThatThrownBy(() -> client.messages().send("bob", "tag:", "x"))
                .isInstanceOfSatisfying(RelayException.InvalidInput.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("to");
                });
        assertThatThrownBy(() -> client.messages().claim(999, "alice")).isInstanceOf(RelayException.NotFound.class);
    }

    @Test
    void aWrongTokenIsUnauthorizedAndHealthStaysOpen() {
        try (TestRelay guarded = TestRelay.start(dir.resolve("guarded"), Map.of("AGENT_RELAY_TOKEN", "s3cret"));
             RelayClient wrong = RelayClient.connect(guarded.url(), "nope");
             RelayClient right = RelayClient.connect(guarded.url(), "s3cret")) {
            assertThatThrownBy(() -> wrong.agents().list())
                    .isInstanceOfSatisfying(RelayException.Unauthorized.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThat(wrong.health().ok()).isTrue();
            assertThat(right.agents().list()).isEmpty();
        }
    }

    @Test
    void closeAbortsARequestThatTheRelayNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            silent.setSoTimeout(20_000);
            RelayClient stuck = RelayClient.builder().url("http://127.0.0.1:" + silent.getLocalPort())
                    .requestTimeout(Duration.ofMinutes(5)).build();
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<?> health = caller.submit(stuck::health);
                try (Socket accepted = silent.accept()) {
                    // The request is in flight and will never be answered: close must not wait for it.
                    assertThat(accepted.isConnected()).isTrue();
                    assertTimeoutPreemptively(Duration.ofSeconds(20), stuck::close);

                    assertThatThrownBy(() -> health.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
                }
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void anUnreachableRelayIsUnavailableWithStatusZero() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RelayClient nowhere = RelayClient.connect("http://127.0.0.1:" + port, null)) {
            assertThatThrownBy(nowhere::health)
                    .isInstanceOfSatisfying(RelayException.Unavailable.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.getMessage()).contains("cannot reach the relay at http://127.0.0.1:" + port);
                    });
        }
    }

    @Test
    void oneClientIsSharedSafelyByManyThreads() throws Exception {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int n = 0; n < 25; n++) {
                        ids.add(client.messages().send("sender-" + thread, "sink", "m" + n).message().id());
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ids).hasSize(200);
        assertThat(client.messages().inbox("sink", InboxQuery.ALL.withLimit(500)).messages()).hasSize(200);
    }

    @Test
    void broadcastHealthAndStatsDescribeTheRelay() {
        client.agents().register(Registration.builder("alice", "Alice").build());
        Message broadcast = client.messages().broadcast("maintenance", "relay restarts at noon");

        assertThat(broadcast.from()).isEqualTo("system");
        assertThat(broadcast.to()).isEqualTo("broadcast");
        assertThat(client.health().instanceId()).isEqualTo(relay.server().instanceId());
        Stats stats = client.stats();
        assertThat(stats.agents()).isEqualTo(1);
        assertThat(stats.messages()).isEqualTo(1);
        assertThat(stats.lastEventId()).isEqualTo(client.events().newestEventId());
    }

    @Test
    void anActionRequestSendsAControlMessageAndDeleteRemovesTheAgent() {
        client.agents().register(Registration.builder("alice", "Alice").build());

        Message control = client.agents().requestAction("alice", "restart");
        client.agents().delete("alice");

        assertThat(control.kind()).isEqualTo(MessageKind.CONTROL);
        assertThat(control.to()).isEqualTo("alice");
        assertThatThrownBy(() -> client.agents().get("alice")).isInstanceOf(RelayException.NotFound.class);
    }
}
