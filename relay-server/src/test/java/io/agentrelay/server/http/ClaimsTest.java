package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static io.agentrelay.server.testing.JsonLists.strings;
import static io.agentrelay.server.testing.JsonLists.longs;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimsTest {
    // Claims outlive the offline threshold (2 × STALE_TTL_MS = 20 s), so the reaper's two reasons
    // for releasing a claim (expiry, holder offline) can be told apart.
    private static final Duration CLAIM_TTL = Duration.ofSeconds(60);
    private static final Duration STALE_TTL = Duration.ofSeconds(10);
    private static final int CLAIMERS = 16;
    private static final int RACES = 20;

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of(
                "CLAIM_TTL_MS", Long.toString(CLAIM_TTL.toMillis()),
                "STALE_TTL_MS", Long.toString(STALE_TTL.toMillis())));
        http = relay.http();
        relay.register("alice", Map.of("capabilities", List.of("x")));
        relay.register("bob", Map.of("capabilities", List.of("x")));
        relay.register("carol", Map.of("capabilities", List.of("y")));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void exactlyOneOfManyConcurrentClaimersWinsAndTheOthersAreToldWho() throws Exception {
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < CLAIMERS; i++) {
            String id = "worker-" + i;
            relay.register(id, Map.of("capabilities", List.of("x")));
            workers.add(id);
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
        try {
            for (int race = 0; race < RACES; race++) {
                long id = claimableJob();
                CyclicBarrier start = new CyclicBarrier(CLAIMERS);
                List<Future<Http.Response>> answers = new ArrayList<>();
                for (String worker : workers) {
                    answers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return claim(id, worker);
                    }));
                }
                List<Http.Response> responses = new ArrayList<>();
                for (Future<Http.Response> answer : answers) {
                    responses.add(answer.get(30, TimeUnit.SECONDS));
                }

                List<Http.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
                assertThat(won).as("winners of race %d", race).hasSize(1);
                String winner = won.get(0).json().get("claimedBy").asText();
                assertThat(workers).contains(winner);
                assertThat(responses).filteredOn(r -> r.status() != 200)
                        .hasSize(CLAIMERS - 1)
                        .allSatisfy(r -> {
                            assertThat(r.status()).isEqualTo(409);
                            assertThat(r.json().get("claimedBy").asText()).isEqualTo(winner);
                            assertThat(r.error()).contains(winner);
                        });
                assertThat(http.get("/api/messages/" + id).json().get("claimedBy").asText()).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(events("message.claimed")).hasSize(RACES);
    }

    @Test
    void claimedMessageIsRefusedToOthersUntilTheClaimExpires() {
        long id = claimableJob();
        assertThat(claim(id, "alice").status()).isEqualTo(200);

        relay.clock().advance(CLAIM_TTL.minusMillis(1));
        Http.Response early = claim(id, "bob");
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("claimedBy").asText()).isEqualTo("alice");

        relay.clock().advance(Duration.ofMillis(1));
        Http.Response late = claim(id, "bob");
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().get("claimedBy").asText()).isEqualTo("bob");
    }

    @Test
    void aSuccessfulClaimReturnsTheMessageWithHolderAndExpiry() {
        long id = claimableJob();
        long now = relay.clock().millis();

        JsonNode message = claim(id, "alice").json();

        assertThat(message.get("id").asLong()).isEqualTo(id);
        assertThat(message.get("claimedBy").asText()).isEqualTo("alice");
        assertThat(message.get("claimedAt").asLong()).isEqualTo(now);
        assertThat(message.get("claimExpiresAt").asLong()).isEqualTo(now + CLAIM_TTL.toMillis());
    }

    @Test
    void theHolderClaimingAgainRenewsTheClaim() {
        long id = claimableJob();
        assertThat(claim(id, "alice").status()).isEqualTo(200);
        relay.clock().advance(CLAIM_TTL.dividedBy(2));

        Http.Response renewed = claim(id, "alice");
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().get("claimExpiresAt").asLong())
                .isEqualTo(relay.clock().millis() + CLAIM_TTL.toMillis());

        // Past the first claim's expiry, but within the renewed one.
        relay.clock().advance(CLAIM_TTL.dividedBy(2).plusMillis(1));
        Http.Response other = claim(id, "bob");
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("claimedBy").asText()).isEqualTo("alice");
    }

    @Test
    void releaseByTheHolderMakesTheMessageClaimableAgain() {
        long id = claimableJob();
        claim(id, "alice");

        Http.Response released = release(id, "alice");

        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("claimedBy").isNull()).isTrue();
        assertThat(http.get("/api/messages/" + id).json().get("claimedBy").isNull()).isTrue();
        assertThat(claim(id, "bob").status()).isEqualTo(200);
        assertThat(events("message.claim_released")).singleElement().satisfies(event -> {
            assertThat(event.get("data").get("messageId").asLong()).isEqualTo(id);
            assertThat(event.get("data").get("agentId").asText()).isEqualTo("alice");
            assertThat(event.get("data").get("reason").asText()).isEqualTo("released");
        });
    }

    @Test
    void releaseByAnAgentThatDoesNotHoldTheClaimIsAConflictAndChangesNothing() {
        long id = claimableJob();
        claim(id, "alice");

        Http.Response refused = release(id, "bob");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("claimedBy").asText()).isEqualTo("alice");
        assertThat(http.get("/api/messages/" + id).json().get("claimedBy").asText()).isEqualTo("alice");
        assertThat(release(claimableJob(), "bob").status()).as("release of an unclaimed message").isEqualTo(409);
    }

    @Test
    void claimingAMessageThatIsNotClaimableIsABadRequest() {
        long id = relay.send("boss", "cap:x", "just news").json().get("id").asLong();

        Http.Response response = claim(id, "alice");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).contains("not claimable");
        assertThat(http.get("/api/messages/" + id).json().get("claimedBy").isNull()).isTrue();
    }

    @Test
    void anAgentTheMessageIsNotAddressedToCannotClaimIt() {
        long id = claimableJob();

        Http.Response response = claim(id, "carol");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.error()).contains("cap:x").contains("carol");
        assertThat(claim(id, "alice").status()).isEqualTo(200);
    }

    @Test
    void claimsByUnknownAgentsOrForUnknownMessagesAreNotFound() {
        long id = claimableJob();

        Http.Response unknownAgent = claim(id, "nobody");
        Http.Response unknownMessage = claim(id + 1000, "alice");

        assertThat(unknownAgent.status()).isEqualTo(404);
        assertThat(unknownAgent.error()).contains("nobody");
        assertThat(unknownMessage.status()).isEqualTo(404);
        assertThat(unknownMessage.error()).contains(Long.toString(id + 1000));
        assertThat(release(id + 1000, "alice").status()).isEqualTo(404);
    }

    @Test
    void theReaperReleasesExpiredClaimsAndSaysWhy() {
        long expiring = claimableJob();
        long renewed = claimableJob();
        claim(expiring, "alice");
        claim(renewed, "bob");
        relay.clock().advance(CLAIM_TTL.minusSeconds(1));
        claim(renewed, "bob");
        heartbeat("alice", "bob");
        assertThat(reap().get("releasedMessageIds")).as("nothing expired yet").isEmpty();

        relay.clock().advance(Duration.ofSeconds(1));
        heartbeat("alice", "bob");
        JsonNode report = reap();

        assertThat(longs(report.get("releasedMessageIds"))).containsExactly(expiring);
        assertThat(http.get("/api/messages/" + expiring).json().get("claimedBy").isNull()).isTrue();
        assertThat(http.get("/api/messages/" + renewed).json().get("claimedBy").asText()).isEqualTo("bob");
        assertThat(events("message.claim_released")).singleElement().satisfies(event -> {
            assertThat(event.get("data").get("messageId").asLong()).isEqualTo(expiring);
            assertThat(event.get("data").get("agentId").asText()).isEqualTo("alice");
            assertThat(event.get("data").get("reason").asText()).isEqualTo("expired");
        });
        assertThat(reap().get("releasedMessageIds")).as("released once only").isEmpty();
    }

    @Test
    void theReaperReleasesTheClaimsOfAnAgentThatWentOfflineBeforeTheyExpire() {
        long id = claimableJob();
        claim(id, "alice");

        relay.clock().advance(STALE_TTL.plusMillis(1));
        heartbeat("bob", "carol");
        JsonNode whileStale = reap();
        assertThat(strings(whileStale.get("reapedAgentIds"))).containsExactly("alice");
        assertThat(whileStale.get("releasedMessageIds")).as("a stale holder keeps its claim").isEmpty();

        relay.clock().advance(STALE_TTL);
        heartbeat("bob", "carol");
        JsonNode report = reap();

        assertThat(strings(report.get("reapedAgentIds"))).containsExactly("alice");
        assertThat(http.get("/api/agents/alice").json().get("status").asText()).isEqualTo("offline");
        assertThat(longs(report.get("releasedMessageIds"))).containsExactly(id);
        assertThat(events("message.claim_released")).singleElement().satisfies(event -> {
            assertThat(event.get("data").get("messageId").asLong()).isEqualTo(id);
            assertThat(event.get("data").get("agentId").asText()).isEqualTo("alice");
            assertThat(event.get("data").get("reason").asText()).isEqualTo("holder_offline");
        });
        assertThat(claim(id, "bob").status()).isEqualTo(200);
    }

    private long claimableJob() {
        return relay.send("boss", "cap:x", "job", Map.of("claimable", true)).json().get("id").asLong();
    }

    private Http.Response claim(long id, String agentId) {
        return http.post("/api/messages/" + id + "/claim", Map.of("agentId", agentId));
    }

    private Http.Response release(long id, String agentId) {
        return http.post("/api/messages/" + id + "/release", Map.of("agentId", agentId));
    }

    private void heartbeat(String... agentIds) {
        for (String agentId : agentIds) {
            assertThat(http.post("/api/agents/" + agentId + "/heartbeat", Map.of()).status()).isEqualTo(200);
        }
    }

    private JsonNode reap() {
        return relay.reap();
    }

    private List<JsonNode> events(String type) {
        return relay.events(type);
    }

    @Test
    void theSenderOfAFanOutMessageIsNotOneOfItsRecipientsAndCannotClaimIt() {
        long id = relay.send("alice", "cap:x", "work", Map.of("claimable", true)).json().get("id").asLong();

        var bySender = relay.http().post("/api/messages/" + id + "/claim", Map.of("agentId", "alice"));
        var byRecipient = relay.http().post("/api/messages/" + id + "/claim", Map.of("agentId", "bob"));

        assertThat(bySender.status()).isEqualTo(403);
        assertThat(bySender.error()).contains("not a recipient");
        assertThat(byRecipient.status()).isEqualTo(200);
        assertThat(relay.http().get("/api/messages/" + id + "/status").json().get("recipients"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("bob");
    }

    @Test
    void aMessageAnAgentSentToItselfIsItsOwnToClaim() {
        long id = relay.send("alice", "alice", "note to self", Map.of("claimable", true)).json().get("id").asLong();

        assertThat(relay.http().get("/api/messages/" + id + "/status").json().get("recipients"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("alice");
        assertThat(relay.http().post("/api/messages/" + id + "/claim", Map.of("agentId", "alice")).status())
                .isEqualTo(200);
    }
}
