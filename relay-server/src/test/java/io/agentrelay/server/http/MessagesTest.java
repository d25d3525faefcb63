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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/messages}: idempotent sends, threads, per-agent read markers, status, deletion, broadcasts. */
class MessagesTest {
    @TempDir
    Path dir;
    TestRelay relay;
    Http http;

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir);
        http = relay.http();
        relay.register("alice", Map.of("tags", List.of("review")));
        relay.register("bob", Map.of("tags", List.of("review")));
        relay.register("carol");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    // ---- idempotency ----

    @Test
    void repeatingAnIdempotencyKeyReturnsTheOriginalMessageInsteadOfSendingAgain() {
        Http.Response first = http.post("/api/messages",
                Map.of("from", "bob", "to", "alice", "body", "deploy v2", "idempotencyKey", "deploy-2"));
        Http.Response again = http.post("/api/messages",
                Map.of("from", "bob", "to", "alice", "body", "deploy v2 (retry)", "idempotencyKey", "deploy-2"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(again.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
        assertThat(again.json().get("body").asText()).isEqualTo("deploy v2");
        assertThat(bodies(http.get("/api/messages?for=alice"))).containsExactly("deploy v2");
        assertThat(eventTypes("message.new")).hasSize(1);
    }

    @Test
    void theSameIdempotencyKeyFromAnotherSenderIsANewMessage() {
        long fromBob = relay.send("bob", "alice", "from bob", Map.of("idempotencyKey", "k")).json().get("id").asLong();

        Http.Response fromCarol = http.post("/api/messages",
                Map.of("from", "carol", "to", "alice", "body", "from carol", "idempotencyKey", "k"));

        assertThat(fromCarol.status()).isEqualTo(201);
        assertThat(fromCarol.json().get("created").asBoolean()).isTrue();
        assertThat(fromCarol.json().get("id").asLong()).isNotEqualTo(fromBob);
        assertThat(bodies(http.get("/api/messages?for=alice"))).containsExactly("from bob", "from carol");
    }

    // ---- threads ----

    @Test
    void theThreadOfAnyMemberIsTheWholeReplyChainOldestFirst() {
        long question = relay.send("alice", "bob", "question").json().get("id").asLong();
        long answer = relay.send("bob", "alice", "answer", Map.of("replyTo", question)).json().get("id").asLong();
        relay.send("carol", "bob", "unrelated");
        long followUp = relay.send("alice", "bob", "follow-up", Map.of("replyTo", answer)).json().get("id").asLong();
        long aside = relay.send("carol", "alice", "aside", Map.of("replyTo", question)).json().get("id").asLong();

        for (long member : List.of(question, answer, followUp, aside)) {
            Http.Response thread = http.get("/api/messages/" + member + "/thread");

            assertThat(thread.status()).isEqualTo(200);
            assertThat(bodies(thread)).as("thread of %d", member)
                    .containsExactly("question", "answer", "follow-up", "aside");
            assertThat(thread.json().get("messages")).allSatisfy(m ->
                    assertThat(m.get("threadId").asLong()).isEqualTo(question));
        }
        assertThat(http.get("/api/messages/" + followUp).json().get("replyTo").asLong()).isEqualTo(answer);
    }

    @Test
    void aMessageWithoutRepliesIsAThreadOfOne() {
        long alone = relay.send("alice", "bob", "alone").json().get("id").asLong();

        assertThat(bodies(http.get("/api/messages/" + alone + "/thread"))).containsExactly("alone");
    }

    @Test
    void replyingToAMessageThatDoesNotExistIsRejectedNamingReplyTo() {
        Http.Response response = http.post("/api/messages",
                Map.of("from", "alice", "to", "bob", "body", "re: nothing", "replyTo", 999));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("replyTo");
        assertThat(response.error()).contains("replyTo").contains("999");
        assertThat(bodies(http.get("/api/messages?for=bob"))).isEmpty();
    }

    @Test
    void theThreadOfAnUnknownMessageIsNotFound() {
        assertThat(http.get("/api/messages/12345/thread").status()).isEqualTo(404);
    }

    // ---- read markers ----

    @Test
    void readingAMessageMarksItForThatAgentOnly() {
        long id = relay.send("carol", "tag:review", "please review").json().get("id").asLong();

        Http.Response read = http.post("/api/messages/" + id + "/read", Map.of("agentId", "alice"));

        assertThat(read.status()).isEqualTo(200);
        assertThat(longs(read.json().get("marked"))).containsExactly(id);
        assertThat(readFlags("alice")).containsExactly("please review=true");
        assertThat(readFlags("bob")).containsExactly("please review=false");
        assertThat(longs(http.post("/api/messages/" + id + "/read", Map.of("agentId", "alice")).json().get("marked")))
                .as("marking again marks nothing new").isEmpty();
    }

    @Test
    void markingSeveralIdsReportsOnlyTheNewlyMarkedOnes() {
        long one = relay.send("carol", "alice", "one").json().get("id").asLong();
        long two = relay.send("carol", "alice", "two").json().get("id").asLong();
        long three = relay.send("carol", "alice", "three").json().get("id").asLong();
        http.post("/api/messages/" + two + "/read", Map.of("agentId", "alice"));

        Http.Response read = http.post("/api/messages/read", Map.of("agentId", "alice", "ids", List.of(one, two)));

        assertThat(read.status()).isEqualTo(200);
        assertThat(longs(read.json().get("marked"))).containsExactly(one);
        assertThat(readFlags("alice")).containsExactly("one=true", "two=true", "three=false");
        assertThat(longs(http.post("/api/messages/read", Map.of("agentId", "alice", "ids", List.of(one, three)))
                .json().get("marked"))).containsExactly(three);
    }

    @Test
    void markingUpToAnIdMarksTheAgentsUnreadInboxUpToIt() {
        long one = relay.send("carol", "alice", "one").json().get("id").asLong();
        long toBob = relay.send("carol", "bob", "for bob").json().get("id").asLong();
        long two = relay.send("carol", "tag:review", "two").json().get("id").asLong();
        relay.send("carol", "alice", "three");
        http.post("/api/messages/" + one + "/read", Map.of("agentId", "alice"));

        Http.Response read = http.post("/api/messages/read", Map.of("agentId", "alice", "upTo", two));

        assertThat(read.status()).isEqualTo(200);
        assertThat(longs(read.json().get("marked"))).containsExactly(two);
        assertThat(readFlags("alice")).containsExactly("one=true", "two=true", "three=false");
        assertThat(readFlags("bob")).containsExactly("for bob=false", "two=false");
        assertThat(http.get("/api/messages/" + toBob + "/status").json().get("readBy")).isEmpty();
    }

    @Test
    void bulkReadNeedsExactlyOneOfIdsAndUpTo() {
        Http.Response neither = http.post("/api/messages/read", Map.of("agentId", "alice"));
        Http.Response both = http.post("/api/messages/read", Map.of("agentId", "alice", "ids", List.of(1), "upTo", 1));

        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.json().get("field").asText()).isEqualTo("ids");
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void readingAnUnknownMessageIsNotFound() {
        assertThat(http.post("/api/messages/4242/read", Map.of("agentId", "alice")).status()).isEqualTo(404);
    }

    @Test
    void aBulkReadNamingAnUnknownIdMarksNothing() {
        long known = relay.send("carol", "alice", "known").json().get("id").asLong();

        Http.Response read = http.post("/api/messages/read", Map.of("agentId", "alice", "ids", List.of(known, 4242)));

        assertThat(read.status()).isEqualTo(404);
        assertThat(readFlags("alice")).containsExactly("known=false");
        assertThat(eventTypes("message.read")).isEmpty();
    }

    // ---- get, status, delete ----

    @Test
    void aMessageCanBeFetchedByIdWithEveryField() {
        long id = relay.send("carol", "alice", "hello", Map.of("subject", "greeting", "channel", "general",
                "meta", Map.of("priority", "low"), "payload", Map.of("n", 1))).json().get("id").asLong();

        Http.Response message = http.get("/api/messages/" + id);

        assertThat(message.status()).isEqualTo(200);
        JsonNode json = message.json();
        assertThat(json.get("id").asLong()).isEqualTo(id);
        assertThat(json.get("from").asText()).isEqualTo("carol");
        assertThat(json.get("to").asText()).isEqualTo("alice");
        assertThat(json.get("kind").asText()).isEqualTo("chat");
        assertThat(json.get("subject").asText()).isEqualTo("greeting");
        assertThat(json.get("channel").asText()).isEqualTo("general");
        assertThat(json.get("meta").get("priority").asText()).isEqualTo("low");
        assertThat(json.get("payload").get("n").asInt()).isEqualTo(1);
        assertThat(json.get("createdAt").asLong()).isEqualTo(relay.clock().millis());
        assertThat(json.has("read")).as("read state is per agent, so not part of the plain message").isFalse();
    }

    @Test
    void anInvalidOrUnknownMessageIdIsAnsweredClearly() {
        Http.Response invalid = http.get("/api/messages/-1");
        Http.Response unknown = http.get("/api/messages/777");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.error()).contains("invalid message id");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(http.get("/api/messages/777/status").status()).isEqualTo(404);
    }

    @Test
    void queuedIsARouteOfItsOwnAndAnyOtherWordIsNoRoute() {
        Http.Response queued = http.get("/api/messages/queued?for=policy:night-shift&limit=10");
        Http.Response word = http.get("/api/messages/pending");

        assertThat(queued.status()).isEqualTo(200);
        assertThat(queued.json().isArray()).as("a bare array, as the TypeScript route answers").isTrue();
        assertThat(queued.json()).isEmpty();
        assertThat(word.status()).isEqualTo(404);
        assertThat(word.error()).isEqualTo("no route for GET /api/messages/pending");
    }

    @Test
    void statusListsRecipientsReadersAndTheClaimHolder() {
        long id = relay.send("alice", "tag:review", "who takes this?", Map.of("claimable", true))
                .json().get("id").asLong();
        http.post("/api/messages/" + id + "/read", Map.of("agentId", "bob"));
        relay.clock().advance(Duration.ofSeconds(1));

        Http.Response claim = http.post("/api/messages/" + id + "/claim", Map.of("agentId", "bob"));
        assertThat(claim.status()).isEqualTo(200);
        Http.Response status = http.get("/api/messages/" + id + "/status");

        assertThat(status.status()).isEqualTo(200);
        JsonNode json = status.json();
        assertThat(json.get("messageId").asLong()).isEqualTo(id);
        assertThat(json.get("deliveryStatus").asText()).isEqualTo("delivered");
        assertThat(json.get("to").asText()).isEqualTo("tag:review");
        assertThat(strings(json.get("recipients"))).as("the sender is not its own recipient").containsExactly("bob");
        assertThat(json.get("readBy")).hasSize(1);
        assertThat(json.get("readBy").get(0).get("agentId").asText()).isEqualTo("bob");
        assertThat(json.get("claimedBy").asText()).isEqualTo("bob");
        assertThat(json.get("claimExpiresAt").asLong()).isGreaterThan(relay.clock().millis());
    }

    @Test
    void aDeletedMessageIsGoneEverywhere() {
        long id = relay.send("carol", "alice", "oops").json().get("id").asLong();
        http.post("/api/messages/" + id + "/read", Map.of("agentId", "alice"));

        Http.Response deleted = http.delete("/api/messages/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(http.get("/api/messages/" + id).status()).isEqualTo(404);
        assertThat(http.get("/api/messages/" + id + "/thread").status()).isEqualTo(404);
        assertThat(bodies(http.get("/api/messages?for=alice"))).isEmpty();
        assertThat(bodies(http.get("/api/messages"))).isEmpty();
        assertThat(http.delete("/api/messages/" + id).status()).isEqualTo(404);
    }

    // ---- system broadcast and the dashboard view ----

    @Test
    void aSystemBroadcastReachesEveryAgentAsASystemMessage() {
        Http.Response sent = http.post("/api/system/broadcast", Map.of("subject", "maintenance", "body", "restart at 5"));

        assertThat(sent.status()).isEqualTo(201);
        assertThat(sent.json().get("from").asText()).isEqualTo("system");
        assertThat(sent.json().get("to").asText()).isEqualTo("broadcast");
        assertThat(sent.json().get("kind").asText()).isEqualTo("system");
        for (String agent : List.of("alice", "bob", "carol")) {
            JsonNode inbox = http.get("/api/messages?for=" + agent).json().get("messages");
            assertThat(inbox).as(agent).hasSize(1);
            assertThat(inbox.get(0).get("from").asText()).isEqualTo("system");
            assertThat(inbox.get(0).get("kind").asText()).isEqualTo("system");
            assertThat(inbox.get(0).get("subject").asText()).isEqualTo("maintenance");
            assertThat(inbox.get(0).get("body").asText()).isEqualTo("restart at 5");
        }
    }

    @Test
    void aSystemBroadcastNeedsABody() {
        Http.Response response = http.post("/api/system/broadcast", Map.of("subject", "empty"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("field").asText()).isEqualTo("body");
    }

    @Test
    void withoutForTheListIsRecentMessagesNewestFirst() {
        relay.send("alice", "bob", "first");
        relay.send("bob", "tag:review", "second");
        relay.send("carol", "broadcast", "third");

        Http.Response recent = http.get("/api/messages");
        Http.Response newestTwo = http.get("/api/messages?limit=2");

        assertThat(recent.status()).isEqualTo(200);
        assertThat(bodies(recent)).containsExactly("third", "second", "first");
        assertThat(recent.json().has("cursor")).isFalse();
        assertThat(recent.json().get("messages")).allSatisfy(m -> assertThat(m.has("read")).isFalse());
        assertThat(bodies(newestTwo)).containsExactly("third", "second");
    }

    // ---- the event log ----

    @Test
    void sendingReadingAndDeletingAreRecordedInTheEventLog() {
        long id = relay.send("carol", "alice", "logged").json().get("id").asLong();
        http.post("/api/messages/" + id + "/read", Map.of("agentId", "alice"));
        http.post("/api/messages/" + id + "/read", Map.of("agentId", "alice"));
        http.delete("/api/messages/" + id);

        JsonNode events = http.get("/api/events?types=message.new,message.read,message.deleted").json().get("events");

        assertThat(events).extracting(e -> e.get("type").asText())
                .as("a repeated read that marks nothing records nothing")
                .containsExactly("message.new", "message.read", "message.deleted");
        assertThat(events.get(0).get("data").get("id").asLong()).isEqualTo(id);
        assertThat(events.get(0).get("scope").get("target").asText()).isEqualTo("alice");
        assertThat(events.get(1).get("data").get("agentId").asText()).isEqualTo("alice");
        assertThat(longs(events.get(1).get("data").get("messageIds"))).containsExactly(id);
        assertThat(events.get(2).get("data").get("messageId").asLong()).isEqualTo(id);
    }

    // ---- helpers ----

    private List<String> eventTypes(String types) {
        List<String> out = new ArrayList<>();
        for (JsonNode event : http.get("/api/events?types=" + types).json().get("events")) {
            out.add(event.get("type").asText());
        }
        return out;
    }

    /** "body=read" for each message of the agent's inbox, oldest first. */
    private List<String> readFlags(String agent) {
        List<String> out = new ArrayList<>();
        for (JsonNode message : http.get("/api/messages?for=" + agent).json().get("messages")) {
            out.add(message.get("body").asText() + "=" + message.get("read").asBoolean());
        }
        return out;
    }

    private static List<String> bodies(Http.Response response) {
        List<String> out = new ArrayList<>();
        for (JsonNode message : response.json().get("messages")) {
            out.add(message.get("body").asText());
        }
        return out;
    }

}
