package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.JsonLists;
import io.agentrelay.server.testing.SseClient;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/pairs}: invitations and their {@code kind:"pair"} messages, who may make which move,
 * the members' thread, one open pair per two agents under racing invitations, racing answers,
 * expiry by the reaper, listing, bad input, the session guard, and which streams carry the events.
 */
class PairsTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        // Agents stay online however far the tests move the clock.
        relay = TestRelay.start(dir, Map.of("STALE_TTL_MS", Long.toString(Duration.ofDays(2).toMillis())));
        http = relay.http();
        relay.register("alice");
        relay.register("bob", Map.of("instanceId", "bob-1"));
        relay.register("carol");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private Http.Response invite(String from, String to, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("from", from);
        body.put("to", to);
        return http.post("/api/pairs", body);
    }

    /** Alice invites bob; the new pair. */
    private JsonNode invited() {
        Http.Response response = invite("alice", "bob", Map.of("topic", "flaky login test"));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    private Http.Response act(long id, String action, String agentId) {
        return http.post("/api/pairs/" + id + "/" + action, Map.of("agentId", agentId));
    }

    private Http.Response write(long id, String from, String body, Map<String, Object> extra) {
        Map<String, Object> message = new HashMap<>(extra);
        message.put("from", from);
        message.put("body", body);
        return http.post("/api/pairs/" + id + "/messages", message);
    }

    private JsonNode pair(long id) {
        return http.get("/api/pairs/" + id).json();
    }

    private List<JsonNode> inbox(String agentId) {
        return JsonLists.nodes(http.get("/api/messages?for=" + agentId).json().get("messages"));
    }

    private static void refused(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.error()).isEqualTo(error);
    }

    @Test
    void anInvitationIsPendingAndTheInviteeGetsAPairMessageCarryingThePair() {
        long before = relay.clock().millis();
        Http.Response response = invite("alice", "bob", Map.of("topic", "flaky login test", "body", "Shall we?",
                "ttlSeconds", 120, "meta", Map.of("ticket", "WEB-7")));

        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode pair = response.json();
        long id = pair.get("id").asLong();
        assertThat(pair.get("from").asText()).isEqualTo("alice");
        assertThat(pair.get("to").asText()).isEqualTo("bob");
        assertThat(pair.get("status").asText()).isEqualTo("pending");
        assertThat(pair.get("topic").asText()).isEqualTo("flaky login test");
        assertThat(pair.get("body").asText()).isEqualTo("Shall we?");
        assertThat(pair.get("meta").get("ticket").asText()).isEqualTo("WEB-7");
        assertThat(pair.get("createdAt").asLong()).isEqualTo(before);
        assertThat(pair.get("expiresAt").asLong()).isEqualTo(before + 120_000);
        assertThat(pair.get("acceptedAt").isNull()).isTrue();
        assertThat(pair.get("closedAt").isNull()).isTrue();
        assertThat(pair(id)).isEqualTo(pair);

        List<JsonNode> bobs = inbox("bob");
        assertThat(bobs).hasSize(1);
        JsonNode invitation = bobs.get(0);
        assertThat(invitation.get("id").asLong()).isEqualTo(pair.get("messageId").asLong());
        assertThat(invitation.get("kind").asText()).isEqualTo("pair");
        assertThat(invitation.get("from").asText()).isEqualTo("alice");
        assertThat(invitation.get("subject").asText()).isEqualTo("Pair invitation: flaky login test");
        assertThat(invitation.get("body").asText()).isEqualTo("Shall we?");
        JsonNode payload = invitation.get("payload").get("pair");
        assertThat(payload.get("id").asLong()).isEqualTo(id);
        assertThat(payload.get("action").asText()).isEqualTo("invite");
        assertThat(payload.get("expiresAt").asLong()).isEqualTo(before + 120_000);
        assertThat(inbox("carol")).isEmpty();

        JsonNode created = relay.events("pair.created").get(0);
        assertThat(created.get("source").asText()).isEqualTo("alice");
        assertThat(created.get("subject").asText()).isEqualTo(Long.toString(id));
        assertThat(created.get("data")).isEqualTo(pair);
        assertThat(invite("carol", "alice", Map.of()).json().get("expiresAt").asLong())
                .as("default ttl: 600 s").isEqualTo(before + 600_000);
        JsonNode item = http.get("/api/activity?limit=1").json().get("activity").get(0);
        assertThat(item.get("title").asText()).isEqualTo("Pair invited");
        assertThat(item.get("view").asText()).isEqualTo("pairs");
        assertThat(item.get("agentId").asText()).isEqualTo("carol");
    }

    @Test
    void theInviteeAcceptsAndTheMembersWriteToEachOtherInOneThreadUntilOneEndsIt() {
        long id = invited().get("id").asLong();
        long invitation = pair(id).get("messageId").asLong();
        relay.clock().advance(Duration.ofSeconds(5));

        Http.Response accepted = act(id, "accept", "bob");

        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("active");
        assertThat(accepted.json().get("acceptedAt").asLong()).isEqualTo(relay.clock().millis());
        JsonNode told = inbox("alice").get(0);
        assertThat(told.get("kind").asText()).isEqualTo("pair");
        assertThat(told.get("subject").asText()).isEqualTo("Pair accepted");
        assertThat(told.get("replyTo").asLong()).isEqualTo(invitation);
        assertThat(told.get("payload").get("pair").get("action").asText()).isEqualTo("accept");

        Http.Response fromAlice = write(id, "alice", "I'll take the backend", Map.of("subject", "split"));
        assertThat(fromAlice.status()).as(fromAlice.text()).isEqualTo(201);
        JsonNode sent = fromAlice.json();
        assertThat(sent.get("created").asBoolean()).isTrue();
        assertThat(sent.get("kind").asText()).isEqualTo("pair");
        assertThat(sent.get("to").asText()).isEqualTo("bob");
        assertThat(sent.get("replyTo").asLong()).as("answers the invitation").isEqualTo(invitation);
        assertThat(sent.get("payload").get("pair").get("action").asText()).isEqualTo("message");
        Http.Response fromBob = write(id, "bob", "ok, frontend", Map.of("replyTo", sent.get("id").asLong()));
        assertThat(fromBob.status()).as(fromBob.text()).isEqualTo(201);
        assertThat(fromBob.json().get("to").asText()).isEqualTo("alice");
        long unrelated = relay.send("carol", "bob", "hi").json().get("id").asLong();
        refused(write(id, "bob", "x", Map.of("replyTo", unrelated)), 400, "replyTo must be a message of pair " + id + "'s thread");
        refused(write(id, "bob", "x", Map.of("replyTo", 99_999)), 400, "replyTo refers to message 99999, which does not exist");
        refused(write(id, "carol", "let me in", Map.of()), 403, "agent carol is not a member of pair " + id + " (alice, bob)");
        assertThat(JsonLists.nodes(http.get("/api/messages/" + invitation + "/thread").json().get("messages")))
                .extracting(m -> m.get("body").asText())
                .containsExactly("alice invites you to pair on flaky login test; accept or reject pair " + id + ".",
                        "bob accepted pair " + id + ".", "I'll take the backend", "ok, frontend");

        relay.clock().advance(Duration.ofSeconds(5));
        Http.Response ended = http.post("/api/pairs/" + id + "/end", Map.of("agentId", "bob", "reason", "shipped"));

        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.json().get("status").asText()).isEqualTo("ended");
        assertThat(ended.json().get("closedBy").asText()).isEqualTo("bob");
        assertThat(ended.json().get("reason").asText()).isEqualTo("shipped");
        assertThat(ended.json().get("closedAt").asLong()).isEqualTo(relay.clock().millis());
        JsonNode last = inbox("alice").get(inbox("alice").size() - 1);
        assertThat(last.get("subject").asText()).isEqualTo("Pair ended");
        assertThat(last.get("body").asText()).isEqualTo("shipped");
        Http.Response late = write(id, "alice", "one more thing", Map.of());
        refused(late, 409, "pair " + id + " is ended, not active");
        assertThat(late.json().get("status").asText()).isEqualTo("ended");
        assertThat(relay.events("pair.updated")).extracting(e -> e.get("data").get("status").asText())
                .containsExactly("active", "ended");
        assertThat(relay.events("pair.updated")).extracting(e -> e.get("source").asText()).containsExactly("bob", "bob");
    }

    @Test
    void onlyTheInviteeAnswersEitherMemberEndsAndTheInviterMayWithdraw() {
        long id = invited().get("id").asLong();

        refused(act(id, "accept", "alice"), 403, "only the invitee (bob) may accept pair " + id);
        refused(act(id, "reject", "alice"), 403, "only the invitee (bob) may reject pair " + id);
        refused(act(id, "accept", "carol"), 403, "agent carol is not a member of pair " + id + " (alice, bob)");
        refused(act(id, "end", "bob"), 409, "pair " + id + " is pending: the invitee (bob) accepts or rejects it");
        refused(write(id, "alice", "early", Map.of()), 409, "pair " + id + " is pending, not active");
        assertThat(pair(id).get("status").asText()).isEqualTo("pending");
        assertThat(relay.events("pair.updated")).isEmpty();

        Http.Response withdrawn = act(id, "end", "alice");
        assertThat(withdrawn.status()).as(withdrawn.text()).isEqualTo(200);
        assertThat(withdrawn.json().get("status").asText()).isEqualTo("ended");
        assertThat(withdrawn.json().get("closedBy").asText()).isEqualTo("alice");
        assertThat(inbox("bob").get(1).get("subject").asText()).isEqualTo("Pair ended");
        refused(act(id, "accept", "bob"), 409, "pair " + id + " is ended, not pending");
        refused(act(id, "end", "alice"), 409, "pair " + id + " is ended, not active");

        long second = invited().get("id").asLong();
        Http.Response rejected = http.post("/api/pairs/" + second + "/reject", Map.of("agentId", "bob", "reason", "busy"));
        assertThat(rejected.json().get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.json().get("reason").asText()).isEqualTo("busy");
        assertThat(inbox("alice").get(0).get("subject").asText()).isEqualTo("Pair rejected");
        refused(act(second, "accept", "bob"), 409, "pair " + second + " is rejected, not pending");

        refused(act(99_999, "accept", "bob"), 404, "pair 99999 not found");
        refused(http.get("/api/pairs/99999"), 404, "pair 99999 not found");
        refused(write(99_999, "bob", "x", Map.of()), 404, "pair 99999 not found");
        refused(act(0, "accept", "bob"), 400, "invalid pair id: '0'");
        refused(http.get("/api/pairs/abc"), 400, "invalid pair id: 'abc'");
    }

    @Test
    void badInputIsA400NamingTheFieldAndWritesNothing() {
        refused(http.post("/api/pairs", Map.of("to", "bob")), 400, "from is required");
        refused(http.post("/api/pairs", Map.of("from", "alice")), 400, "to is required");
        refused(invite("alice", "alice", Map.of()), 400, "to must be another agent than from");
        refused(invite("alice", "tag:ops", Map.of()), 400, "to must be an agent id, not the target 'tag:ops'");
        refused(invite("alice", "bob", Map.of("topic", "t".repeat(201))), 400, "topic must be at most 200 characters");
        refused(invite("alice", "bob", Map.of("body", "b".repeat(10_001))), 400, "body must be at most 10000 characters");
        refused(invite("alice", "bob", Map.of("ttlSeconds", 0)), 400, "ttlSeconds must be between 1 and 86400");
        refused(invite("alice", "bob", Map.of("ttlSeconds", 86_401)), 400, "ttlSeconds must be between 1 and 86400");
        assertThat(invite("alice", "bob", Map.of("ttlSeconds", "soon")).status()).isEqualTo(400);
        assertThat(invite("alice", "bob", Map.of("meta", "x")).error()).startsWith("meta");
        refused(invite("alice", "zed", Map.of()), 404, "agent zed not found");
        refused(invite("zed", "alice", Map.of()), 404, "agent zed not found");
        assertThat(http.get("/api/pairs").json()).isEmpty();
        assertThat(relay.events("pair.created")).isEmpty();
        assertThat(inbox("bob")).isEmpty();

        long id = invited().get("id").asLong();
        refused(http.post("/api/pairs/" + id + "/accept", Map.of()), 400, "agentId is required");
        refused(http.post("/api/pairs/" + id + "/accept", Map.of("agentId", "bob", "reason", "r".repeat(2_001))), 400,
                "reason must be at most 2000 characters");
        act(id, "accept", "bob");
        refused(http.post("/api/pairs/" + id + "/messages", Map.of("from", "bob")), 400, "body is required");
        refused(http.post("/api/pairs/" + id + "/messages", Map.of("body", "x")), 400, "from is required");
        refused(write(id, "bob", "x", Map.of("replyTo", -1)), 400, "replyTo must be a positive message id");
        refused(write(id, "bob", "x", Map.of("subject", "s".repeat(501))), 400, "subject must be at most 500 characters");
        assertThat(inbox("alice")).hasSize(1);
    }

    @Test
    void twoAgentsHaveOneOpenPairAtATimeWhicheverInvites() {
        long id = invited().get("id").asLong();

        Http.Response again = invite("alice", "bob", Map.of());
        refused(again, 409, "agents alice and bob already have an open pair: pair " + id + " is pending");
        assertThat(again.json().get("pairId").asLong()).isEqualTo(id);
        refused(invite("bob", "alice", Map.of()), 409, "agents bob and alice already have an open pair: pair " + id
                + " is pending");
        act(id, "accept", "bob");
        refused(invite("bob", "alice", Map.of()), 409, "agents bob and alice already have an open pair: pair " + id
                + " is active");
        assertThat(invite("alice", "carol", Map.of()).status()).as("another couple").isEqualTo(201);
        act(id, "end", "alice");

        assertThat(invite("bob", "alice", Map.of()).status()).as("free once ended").isEqualTo(201);
    }

    /** Runs {@code racers} requests at once; their answers. */
    private List<Http.Response> race(int racers, IntFunction<Http.Response> request) throws Exception {
        List<Http.Response> answers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<Future<Http.Response>> calls = IntStream.range(0, racers).mapToObj(i -> pool.submit(() -> {
                go.await();
                return request.apply(i);
            })).toList();
            go.countDown();
            for (Future<Http.Response> call : calls) {
                answers.add(call.get());
            }
        }
        return answers;
    }

    @Test
    void racingInvitationsBetweenTwoAgentsGiveOne201AndOnly409s() throws Exception {
        List<Http.Response> answers = race(12, i -> i % 2 == 0 ? invite("alice", "bob", Map.of("topic", "racer " + i))
                : invite("bob", "alice", Map.of("topic", "racer " + i)));

        assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(11)
                .allSatisfy(r -> assertThat(r.error()).contains("already have an open pair"));
        assertThat(http.get("/api/pairs").json()).hasSize(1);
        assertThat(relay.events("pair.created")).hasSize(1);
        assertThat(inbox("alice").size() + inbox("bob").size()).as("one invitation message").isEqualTo(1);
    }

    @Test
    void racingAcceptsAndRejectsOfOneInvitationHaveExactlyOneWinner() throws Exception {
        long id = invited().get("id").asLong();

        List<Http.Response> answers = race(12, i -> act(id, i % 2 == 0 ? "accept" : "reject", "bob"));

        assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() == 409).hasSize(11);
        String winner = answers.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().get("status").asText();
        assertThat(pair(id).get("status").asText()).isEqualTo(winner);
        assertThat(relay.events("pair.updated")).hasSize(1);
        assertThat(inbox("alice")).hasSize(1);
    }

    @Test
    void theReaperExpiresInvitationsNobodyAnsweredInTime() {
        long early = invite("alice", "bob", Map.of("ttlSeconds", 60)).json().get("id").asLong();
        long active = invite("alice", "carol", Map.of("ttlSeconds", 60)).json().get("id").asLong();
        act(active, "accept", "carol");
        relay.clock().advance(Duration.ofSeconds(10));
        long late = invite("carol", "bob", Map.of("ttlSeconds", 60)).json().get("id").asLong();
        relay.clock().advance(Duration.ofSeconds(50).minusMillis(1));
        assertThat(relay.reap().get("expiredPairIds")).as("not yet").isEmpty();
        relay.clock().advance(Duration.ofMillis(1));

        JsonNode report = relay.reap();

        assertThat(JsonLists.longs(report.get("expiredPairIds"))).containsExactly(early);
        JsonNode expired = pair(early);
        assertThat(expired.get("status").asText()).isEqualTo("expired");
        assertThat(expired.get("closedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(expired.get("closedBy").isNull()).isTrue();
        assertThat(pair(active).get("status").asText()).as("an active pair does not expire").isEqualTo("active");
        assertThat(pair(late).get("status").asText()).isEqualTo("pending");
        JsonNode told = inbox("alice").stream().filter(m -> m.get("from").asText().equals("system")).findFirst().orElseThrow();
        assertThat(told.get("subject").asText()).isEqualTo("Pair invitation expired");
        assertThat(told.get("kind").asText()).isEqualTo("pair");
        assertThat(told.get("payload").get("pair").get("action").asText()).isEqualTo("expire");
        JsonNode event = relay.events("pair.updated").stream()
                .filter(e -> e.get("data").get("status").asText().equals("expired")).findFirst().orElseThrow();
        assertThat(event.get("source").asText()).isEqualTo("server");
        refused(act(early, "accept", "bob"), 409, "pair " + early + " is expired, not pending");
        assertThat(invite("bob", "alice", Map.of()).status()).as("the couple is free again").isEqualTo(201);
        relay.clock().advance(Duration.ofSeconds(10));
        assertThat(JsonLists.longs(relay.reap().get("expiredPairIds"))).containsExactly(late);
    }

    @Test
    void anAnswerOrANewInvitationAfterTheExpiryFindsTheInvitationExpiredBeforeTheReaperRuns() {
        long late = invite("alice", "bob", Map.of("ttlSeconds", 60)).json().get("id").asLong();
        relay.clock().advance(Duration.ofSeconds(60));

        Http.Response accept = act(late, "accept", "bob");

        refused(accept, 409, "pair " + late + " is expired, not pending");
        assertThat(accept.json().get("status").asText()).isEqualTo("expired");
        assertThat(pair(late).get("status").asText()).as("the expiry is kept").isEqualTo("expired");
        assertThat(pair(late).get("closedAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(inbox("alice")).extracting(m -> m.get("subject").asText()).containsExactly("Pair invitation expired");
        assertThat(relay.events("pair.updated")).extracting(e -> e.get("data").get("status").asText())
                .containsExactly("expired");

        long stale = invite("bob", "alice", Map.of("ttlSeconds", 60)).json().get("id").asLong();
        relay.clock().advance(Duration.ofSeconds(61));
        Http.Response again = invite("alice", "bob", Map.of());
        assertThat(again.status()).as("a stale invitation does not hold the slot: " + again.text()).isEqualTo(201);
        assertThat(pair(stale).get("status").asText()).isEqualTo("expired");
        assertThat(relay.reap().get("expiredPairIds")).as("nothing left for the reaper").isEmpty();
    }

    @Test
    void pairsAreListedAsABareArrayNewestFirstWithFilters() {
        long ab = invited().get("id").asLong();
        long cb = invite("carol", "bob", Map.of()).json().get("id").asLong();
        long ac = invite("alice", "carol", Map.of()).json().get("id").asLong();
        act(ac, "accept", "carol");

        assertThat(ids("/api/pairs")).containsExactly(ac, cb, ab);
        assertThat(ids("/api/pairs?agentId=alice")).containsExactly(ac, ab);
        assertThat(ids("/api/pairs?agentId=bob")).containsExactly(cb, ab);
        assertThat(ids("/api/pairs?status=pending")).containsExactly(cb, ab);
        assertThat(ids("/api/pairs?agentId=carol&status=active")).containsExactly(ac);
        assertThat(ids("/api/pairs?limit=1")).containsExactly(ac);
        assertThat(ids("/api/pairs?agentId=nobody")).isEmpty();
        refused(http.get("/api/pairs?limit=0"), 400, "limit must be between 1 and 500");
        refused(http.get("/api/pairs?limit=501"), 400, "limit must be between 1 and 500");
        refused(http.get("/api/pairs?status=open"), 400,
                "status must be one of pending|active|ended|rejected|expired, got 'open'");
        refused(http.get("/api/pairs?agentId=tag:ops"), 400, "agentId must be an agent id, not the target 'tag:ops'");
    }

    private List<Long> ids(String path) {
        Http.Response response = http.get(path);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().isArray()).as("a bare array: " + response.text()).isTrue();
        return JsonLists.nodes(response.json()).stream().map(p -> p.get("id").asLong()).toList();
    }

    @Test
    void aStaleSessionCannotMoveAPairOrWriteInIt() {
        long id = invited().get("id").asLong();

        Http.Response stale = http.with("X-Agent-Instance", "bob-0").post("/api/pairs/" + id + "/accept",
                Map.of("agentId", "bob"));

        refused(stale, 409, "stale session: agent bob is registered with another instanceId");
        assertThat(pair(id).get("status").asText()).as("nothing written").isEqualTo("pending");
        assertThat(relay.events("pair.updated")).isEmpty();
        assertThat(http.post("/api/pairs/" + id + "/accept", Map.of("agentId", "bob", "instanceId", "bob-1")).status())
                .isEqualTo(200);
        refused(http.with("X-Agent-Instance", "bob-0").post("/api/pairs/" + id + "/messages",
                Map.of("from", "bob", "body", "x")), 409, "stale session: agent bob is registered with another instanceId");
        assertThat(inbox("alice")).hasSize(1);
    }

    @Test
    void eachMembersStreamCarriesThePairsEventsAndAThirdAgentsDoesNot() throws Exception {
        String types = "&types=pair.created,pair.updated";
        try (SseClient alice = SseClient.open(relay.url(), "/api/events/stream?agentId=alice" + types, Map.of());
             SseClient bob = SseClient.open(relay.url(), "/api/events/stream?agentId=bob" + types, Map.of());
             SseClient carol = SseClient.open(relay.url(), "/api/events/stream?agentId=carol", Map.of())) {
            long id = invited().get("id").asLong();
            act(id, "accept", "bob");
            act(id, "end", "alice");
            relay.send("dave", "carol", "sentinel");

            for (SseClient member : List.of(alice, bob)) {
                List<SseClient.Frame> frames = member.events(3, WAIT);
                assertThat(frames).extracting(SseClient.Frame::event)
                        .containsExactly("pair.created", "pair.updated", "pair.updated");
                assertThat(frames).extracting(f -> f.data().get("data").get("status").asText())
                        .containsExactly("pending", "active", "ended");
                assertThat(frames).allSatisfy(f -> assertThat(f.data().get("data").get("id").asLong()).isEqualTo(id));
            }
            assertThat(carol.nextEvent(WAIT).data().get("data").get("body").asText())
                    .as("carol's first event is the sentinel").isEqualTo("sentinel");
        }
        assertThat(http.get("/api/events?agentId=carol&types=pair.created,pair.updated").json().get("events")).isEmpty();
    }
}
