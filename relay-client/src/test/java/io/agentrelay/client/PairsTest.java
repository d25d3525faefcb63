package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Pair;
import io.agentrelay.api.PairStatus;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Pairs} against a real relay: invite, follow, accept, write, end, refusals. */
class PairsTest {
    @TempDir
    Path dir;
    TestRelay relay;
    RelayClient client;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        client = RelayClient.connect(relay.url(), null);
        relay.register("alice");
        relay.register("bob", Map.of("instanceId", "bob-1"));
    }

    @AfterEach
    void stop() {
        client.close();
        relay.close();
    }

    private Pair poll(BlockingQueue<Pair> seen) throws InterruptedException {
        return seen.poll(Recorder.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theInviterFollowsItsPairWhileTheInviteeAcceptsAndTheyWriteToEachOther() throws Exception {
        BlockingQueue<Pair> seen = new LinkedBlockingQueue<>();
        try (LiveStream stream = client.pairs().follow("alice", StreamOptions.DEFAULTS, seen::add)) {
            Pair invited = client.pairs().invite(PairInvitation.of("alice", "bob").withTopic("login bug")
                    .withBody("Shall we?").withTtlSeconds(300).withMeta(Map.of("ticket", "WEB-7")));
            assertThat(poll(seen)).isEqualTo(invited);
            assertThat(invited.status()).isEqualTo(PairStatus.PENDING);
            assertThat(invited.meta()).containsEntry("ticket", "WEB-7");
            assertThat(invited.expiresAt() - invited.createdAt()).isEqualTo(300_000);

            Message invitation = client.messages().inbox("bob", InboxQuery.ALL).messages().get(0);
            assertThat(invitation.kind()).isEqualTo(MessageKind.PAIR);
            assertThat(invitation.id()).isEqualTo(invited.messageId());
            Pair active = client.pairs().move(invited.id(), "accept", "bob", null, new SessionGuard("bob-1", null));
            assertThat(poll(seen)).isEqualTo(active);
            assertThat(active.status()).isEqualTo(PairStatus.ACTIVE);

            Message sent = client.pairs().send(active.id(), "alice", "I take the backend");
            assertThat(sent.to()).isEqualTo("bob");
            assertThat(sent.kind()).isEqualTo(MessageKind.PAIR);
            Message answer = client.pairs().send(active.id(), "bob", "ok", sent.id(), SessionGuard.NONE);
            assertThat(answer.threadId()).isEqualTo(invitation.id());

            Pair ended = client.pairs().end(active.id(), "bob", "done");
            assertThat(poll(seen)).isEqualTo(ended);
            assertThat(ended.closedBy()).isEqualTo("bob");
            assertThat(stream.lastEventId()).isPositive();
        }
        assertThat(client.pairs().list(PairFilter.ALL.withAgent("bob").withStatus(PairStatus.ENDED)))
                .extracting(Pair::id).hasSize(1);
        assertThat(client.pairs().list(PairFilter.ALL.withStatus(PairStatus.ACTIVE))).isEmpty();
    }

    @Test
    void refusalsAreTypedExceptionsWithTheRelaysWords() {
        Pair pair = client.pairs().invite("alice", "bob", null);

        assertThatThrownBy(() -> client.pairs().invite("bob", "alice", "again"))
                .isInstanceOf(RelayException.Conflict.class)
                .hasMessageContaining("agents bob and alice already have an open pair: pair " + pair.id() + " is pending");
        assertThatThrownBy(() -> client.pairs().accept(pair.id(), "alice"))
                .isInstanceOf(RelayException.Forbidden.class)
                .hasMessageContaining("only the invitee (bob) may accept pair " + pair.id());
        assertThatThrownBy(() -> client.pairs().move(pair.id(), "accept", "bob", null, new SessionGuard("bob-0", null)))
                .isInstanceOfSatisfying(RelayException.Conflict.class, e -> assertThat(e.staleSession()).isTrue());
        assertThatThrownBy(() -> client.pairs().send(pair.id(), "alice", "early"))
                .isInstanceOf(RelayException.Conflict.class).hasMessageContaining("is pending, not active");
        assertThatThrownBy(() -> client.pairs().get(pair.id() + 100)).isInstanceOf(RelayException.NotFound.class);

        Pair rejected = client.pairs().reject(pair.id(), "bob", "busy");
        assertThat(rejected.status()).isEqualTo(PairStatus.REJECTED);
        assertThat(client.pairs().get(pair.id())).isEqualTo(rejected);
        assertThat(client.pairs().list()).containsExactly(rejected);
    }
}
