package io.agentrelay.server.events;

import io.agentrelay.server.model.Event;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The agentlip topic scope of an event: {@code topicId} is the message thread it belongs to (the
 * id of the thread's first message), {@code topicId2} the message it is about. A client that
 * subscribes to topic "42" thus gets thread 42's messages and every change to message 42. Events
 * about no message (agents, activity) have neither.
 *
 * <p>Read from the event's stored JSON with a streaming parser that looks at the top-level fields
 * (and {@code task.messageId}) only: a message body is skipped, not built into a tree.
 */
public record Topics(String topicId, String topicId2) {
    static final Topics NONE = new Topics(null, null);
    private static final JsonFactory JSON = new JsonFactory();

    public boolean matches(java.util.Set<String> topics) {
        return (topicId != null && topics.contains(topicId)) || (topicId2 != null && topics.contains(topicId2));
    }

    static Topics of(Event event) {
        String type = event.type().wire();
        if ((!type.startsWith("message.") && !type.startsWith("task.")) || event.data() == null) {
            return NONE;
        }
        long id = 0;
        long threadId = 0;
        long messageId = 0;
        long taskMessageId = 0;
        try (JsonParser parser = JSON.createParser(event.data())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NONE;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> id = number(parser, value);
                    case "threadId" -> threadId = number(parser, value);
                    case "messageId" -> messageId = number(parser, value);
                    case "task" -> taskMessageId = taskMessageId(parser, value);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return NONE;
        }
        if (type.startsWith("task.")) {
            // A task's announcement message has no replyTo: it is the root of its thread.
            return taskMessageId > 0 ? new Topics(Long.toString(taskMessageId), null) : NONE;
        }
        // A message event carries the message (id, threadId) or names it (messageId).
        long about = id > 0 ? id : messageId;
        return new Topics(threadId > 0 ? Long.toString(threadId) : null, about > 0 ? Long.toString(about) : null);
    }

    private static long taskMessageId(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return 0;
        }
        long found = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken inner = parser.nextToken();
            if (field.equals("messageId")) {
                found = number(parser, inner);
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    private static long number(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        parser.skipChildren();
        return 0;
    }
}
