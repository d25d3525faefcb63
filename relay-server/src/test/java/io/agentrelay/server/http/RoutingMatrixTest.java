package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which messages reach which inbox ({@code GET /api/messages?for=}), and how an inbox is paged and filtered. */
class RoutingMatrixTest {

    /**
     * One world, many inboxes: agents with overlapping tags, capabilities and labels, an id nobody
     * registered, and a sender that is not registered either. Each row names an inbox and exactly
     * the message bodies it must hold, oldest first.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class FanOut {
        TestRelay relay;
        final Map<String, Long> ids = new HashMap<>();

        @BeforeAll
        void world(@TempDir Path dir) {
            relay = TestRelay.start(dir);
            relay.register("alice", Map.of("tags", List.of("review", "backend"), "capabilities", List.of("java"),
                    "label", "lead"));
            relay.register("bob", Map.of("tags", List.of("review"), "capabilities", List.of("python")));
            relay.register("carol", Map.of("tags", List.of("frontend"), "capabilities", List.of("java", "python"),
                    "label", "designer"));
            relay.register("dave");
            // "ghost" is never registered; "ops" sends most messages and is not registered either.
            send("ops", "alice", "direct-alice");
            send("ops", "ghost", "direct-ghost");
            send("ops", "tag:review", "tag-review");
            send("ops", "cap:java", "cap-java");
            send("ops", "label:designer", "label-designer");
            send("ops", "broadcast", "broadcast-ops");
            send("alice", "tag:review", "alice-to-her-own-tag");
            send("alice", "broadcast", "alice-broadcast");
            send("ops", "TAG:frontend", "upper-tag");
            send("ops", "Cap:python", "mixed-cap");
            send("ops", "LABEL:lead", "upper-label");
            send("ops", "BROADCAST", "upper-broadcast");
            send("ops", "tag:nobody-has-this", "unmatched-tag");
            send("bob", "carol", "bob-to-carol");
        }

        @AfterAll
        void stop() {
            relay.close();
        }

        private void send(String from, String to, String body) {
            ids.put(body, relay.send(from, to, body).json().get("id").asLong());
        }

        static Stream<Arguments> inboxes() {
            return Stream.of(
                    Arguments.of("alice", List.of("direct-alice", "tag-review", "cap-java", "broadcast-ops",
                            "upper-label", "upper-broadcast")),
                    Arguments.of("bob", List.of("tag-review", "broadcast-ops", "alice-to-her-own-tag",
                            "alice-broadcast", "mixed-cap", "upper-broadcast")),
                    Arguments.of("carol", List.of("cap-java", "label-designer", "broadcast-ops", "alice-broadcast",
                            "upper-tag", "mixed-cap", "upper-broadcast", "bob-to-carol")),
                    Arguments.of("dave", List.of("broadcast-ops", "alice-broadcast", "upper-broadcast")),
                    Arguments.of("ghost", List.of("direct-ghost", "broadcast-ops", "alice-broadcast",
                            "upper-broadcast")),
                    Arguments.of("ops", List.of("alice-broadcast")));
        }

        @ParameterizedTest(name = "{0} receives exactly {1}")
        @MethodSource("inboxes")
        void eachInboxHoldsExactlyTheMessagesWhoseTargetReachesIt(String agent, List<String> expected) {
            Http.Response inbox = relay.http().get("/api/messages?for=" + agent);

            assertThat(inbox.status()).isEqualTo(200);
            assertThat(bodies(inbox)).containsExactlyElementsOf(expected);
            assertThat(ids(inbox)).isSorted();
            assertThat(inbox.json().get("messages")).allSatisfy(m -> assertThat(m.get("read").asBoolean()).isFalse());
        }

        @ParameterizedTest(name = "cursor of {0}")
        @MethodSource("inboxes")
        void theCursorIsTheNewestMessageThatConcernsTheAgent(String agent, List<String> expected) {
            Http.Response cursor = relay.http().get("/api/messages/cursor?for=" + agent);

            assertThat(cursor.status()).isEqualTo(200);
            assertThat(cursor.json().get("cursor").asLong()).isEqualTo(ids.get(expected.get(expected.size() - 1)));
            assertThat(relay.http().get("/api/messages?for=" + agent).json().get("cursor").asLong())
                    .isEqualTo(ids.get(expected.get(expected.size() - 1)));
        }

        @Test
        void aSenderDoesNotSeeItsOwnTagOrBroadcastMessage() {
            List<String> alice = bodies(relay.http().get("/api/messages?for=alice"));

            assertThat(alice).doesNotContain("alice-to-her-own-tag", "alice-broadcast");
            assertThat(bodies(relay.http().get("/api/messages?for=bob")))
                    .contains("alice-to-her-own-tag", "alice-broadcast");
        }

        @Test
        void targetPrefixesAreCaseInsensitiveAndStoredInLowerCase() {
            assertThat(relay.http().get("/api/messages/" + ids.get("upper-tag")).json().get("to").asText())
                    .isEqualTo("tag:frontend");
            assertThat(relay.http().get("/api/messages/" + ids.get("mixed-cap")).json().get("to").asText())
                    .isEqualTo("cap:python");
            assertThat(relay.http().get("/api/messages/" + ids.get("upper-label")).json().get("to").asText())
                    .isEqualTo("label:lead");
            assertThat(relay.http().get("/api/messages/" + ids.get("upper-broadcast")).json().get("to").asText())
                    .isEqualTo("broadcast");
        }

        @Test
        void aMessageToATagNobodyHasReachesNoInbox() {
            for (String agent : List.of("alice", "bob", "carol", "dave", "ghost", "ops")) {
                assertThat(bodies(relay.http().get("/api/messages?for=" + agent))).doesNotContain("unmatched-tag");
            }
        }
    }

    /** Paging, filters and read state of one inbox; a fresh relay per test. */
    @Nested
    class InboxQueries {
        @TempDir
        Path dir;
        TestRelay relay;

        @BeforeEach
        void start() {
            relay = TestRelay.start(dir);
            relay.register("alice", Map.of("tags", List.of("review")));
            relay.register("bob");
            relay.register("dave");
        }

        @AfterEach
        void stop() {
            relay.close();
        }

        @Test
        void anAgentThatGainsATagSeesEarlierMessagesToThatTag() {
            relay.send("bob", "tag:oncall", "page before dave joined");
            assertThat(bodies(relay.http().get("/api/messages?for=dave"))).isEmpty();

            Http.Response patched = relay.http().patch("/api/agents/dave", Map.of("tags", List.of("oncall")));
            assertThat(patched.status()).isEqualTo(200);

            assertThat(bodies(relay.http().get("/api/messages?for=dave"))).containsExactly("page before dave joined");
            relay.send("bob", "tag:oncall", "page after dave joined");
            assertThat(bodies(relay.http().get("/api/messages?for=dave")))
                    .containsExactly("page before dave joined", "page after dave joined");
        }

        @Test
        void walkingTheInboxWithSinceAndLimitReturnsEveryMessageExactlyOnceInOrder() {
            List<Long> expected = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                expected.add(relay.send("bob", i % 2 == 0 ? "alice" : "tag:review", "m" + i).json().get("id").asLong());
                relay.send("alice", "bob", "noise " + i);
                relay.send("bob", "dave", "other " + i);
            }

            List<Long> seen = new ArrayList<>();
            long cursor = 0;
            int pages = 0;
            while (true) {
                Http.Response page = relay.http().get("/api/messages?for=alice&limit=3&since=" + cursor);
                assertThat(page.status()).isEqualTo(200);
                List<Long> ids = ids(page);
                assertThat(ids).hasSizeLessThanOrEqualTo(3);
                long next = page.json().get("cursor").asLong();
                if (ids.isEmpty()) {
                    assertThat(next).as("an empty page keeps the cursor where it was").isEqualTo(cursor);
                    break;
                }
                assertThat(next).isEqualTo(ids.get(ids.size() - 1));
                seen.addAll(ids);
                cursor = next;
                pages++;
                assertThat(pages).as("the walk terminates").isLessThanOrEqualTo(expected.size());
            }

            assertThat(seen).containsExactlyElementsOf(expected);
            assertThat(pages).isEqualTo(4);
        }

        @Test
        void sinceSkipsEverythingUpToAndIncludingTheGivenId() {
            long first = relay.send("bob", "alice", "one").json().get("id").asLong();
            relay.send("bob", "alice", "two");
            relay.send("bob", "alice", "three");

            assertThat(bodies(relay.http().get("/api/messages?for=alice&since=" + first)))
                    .containsExactly("two", "three");
        }

        @Test
        void unreadOnlyHidesWhatThisAgentHasRead() {
            long one = relay.send("bob", "alice", "one").json().get("id").asLong();
            relay.send("bob", "tag:review", "two");
            long three = relay.send("bob", "broadcast", "three").json().get("id").asLong();
            relay.http().post("/api/messages/" + one + "/read", Map.of("agentId", "alice"));
            relay.http().post("/api/messages/" + three + "/read", Map.of("agentId", "alice"));

            Http.Response all = relay.http().get("/api/messages?for=alice");
            assertThat(all.json().get("messages")).extracting(m -> m.get("body").asText() + "=" + m.get("read"))
                    .containsExactly("one=true", "two=false", "three=true");
            assertThat(bodies(relay.http().get("/api/messages?for=alice&unread=true"))).containsExactly("two");
            // dave read nothing: alice's marks are hers alone.
            assertThat(bodies(relay.http().get("/api/messages?for=dave&unread=true"))).containsExactly("three");
        }

        @Test
        void channelAndKindFiltersNarrowTheInbox() {
            relay.send("bob", "alice", "ci failed", Map.of("channel", "ci"));
            relay.send("bob", "alice", "deploy done", Map.of("channel", "deploy"));
            relay.send("bob", "alice", "fix the build", Map.of("channel", "ci", "kind", "task"));
            relay.send("bob", "alice", "hello");

            assertThat(bodies(relay.http().get("/api/messages?for=alice&channel=ci")))
                    .containsExactly("ci failed", "fix the build");
            assertThat(bodies(relay.http().get("/api/messages?for=alice&kind=task"))).containsExactly("fix the build");
            assertThat(bodies(relay.http().get("/api/messages?for=alice&kind=chat&channel=ci")))
                    .containsExactly("ci failed");
            assertThat(bodies(relay.http().get("/api/messages?for=alice&channel=nowhere"))).isEmpty();
        }

        @Test
        void anUnknownKindFilterIsRejectedNamingTheParameter() {
            Http.Response response = relay.http().get("/api/messages?for=alice&kind=gossip");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("field").asText()).isEqualTo("kind");
        }

        @Test
        void theCursorIgnoresMessagesThatDoNotConcernTheAgent() {
            assertThat(relay.http().get("/api/messages/cursor?for=alice").json().get("cursor").asLong()).isZero();

            long mine = relay.send("bob", "tag:review", "for alice").json().get("id").asLong();
            relay.send("bob", "dave", "for dave");
            relay.send("alice", "tag:review", "alice's own tag message");
            relay.send("alice", "broadcast", "alice's own broadcast");

            assertThat(relay.http().get("/api/messages/cursor?for=alice").json().get("cursor").asLong())
                    .isEqualTo(mine);
        }

        @Test
        void theCursorRequiresFor() {
            Http.Response response = relay.http().get("/api/messages/cursor");

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().get("field").asText()).isEqualTo("for");
        }
    }

    static List<String> bodies(Http.Response inbox) {
        List<String> out = new ArrayList<>();
        for (JsonNode message : inbox.json().get("messages")) {
            out.add(message.get("body").asText());
        }
        return out;
    }

    static List<Long> ids(Http.Response inbox) {
        List<Long> out = new ArrayList<>();
        for (JsonNode message : inbox.json().get("messages")) {
            out.add(message.get("id").asLong());
        }
        return out;
    }
}
