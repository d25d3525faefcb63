package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.server.messages.MessageService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The send answer built from the event's JSON is byte for byte the message rendered with {@code created} added. */
class SentReplyTest {
    private static final Message FULL = new Message(42, "alice", "tag:ops", MessageKind.CHAT, "a \"quoted\" subject",
            "body with unicode ✓ and \n a newline", 7L, 7, true, "bob", 1_000L, 2_000L, "key-1",
            Map.of("priority", "urgent"), Map.of("list", List.of(1, 2), "nested", Map.of("x", true)), "chan",
            3_600, DeliveryStatus.DELIVERED, null, 123_456_789L, null);
    private static final Message BARE = new Message(1, "a", "b", MessageKind.CHAT, null, "x", null, 1, false, null,
            null, null, null, Map.of(), Map.of(), null, null, DeliveryStatus.DELIVERED, null, 5L, null);

    @Test
    void theReplyFromTheEventJsonEqualsTheMessageRenderedWithCreated() throws Exception {
        for (Message message : List.of(FULL, BARE)) {
            String eventData = Json.mapper().writeValueAsString(message);
            String fromEvent = Json.mapper().writeValueAsString(
                    new SentReply(new MessageService.Sent(message, true, eventData)));

            assertThat(fromEvent).isEqualTo(rendered(message, true));
            assertThat(Json.mapper().readTree(fromEvent).get("created").asBoolean()).isTrue();
        }
    }

    @Test
    void aRepeatedSendWithoutEventJsonIsRenderedFromTheMessage() throws Exception {
        String reply = Json.mapper().writeValueAsString(new SentReply(new MessageService.Sent(FULL, false, null)));

        assertThat(reply).isEqualTo(rendered(FULL, false));
        assertThat(Json.mapper().readTree(reply).get("created").asBoolean()).isFalse();
    }

    /** The reference: the message as Jackson renders it, with {@code created} as the last field. */
    private static String rendered(Message message, boolean created) throws Exception {
        ObjectNode tree = Json.mapper().valueToTree(message);
        tree.put("created", created);
        return Json.mapper().writeValueAsString(tree);
    }
}
