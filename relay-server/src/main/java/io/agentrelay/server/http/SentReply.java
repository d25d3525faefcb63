package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.agentrelay.api.Json;
import io.agentrelay.server.messages.MessageService;
import java.io.IOException;

/**
 * The answer to a send: the message's fields, then {@code created}. A new message was already
 * rendered once, on the writer, as the data of its {@code message.new} event; its fields are
 * copied from that JSON token by token instead of the message being rendered again (rendering was
 * about a tenth of an event loop's time per send). A repeated send (an idempotency key that
 * matched) has no such JSON and is rendered from the message.
 */
@JsonSerialize(using = SentReply.Writer.class)
record SentReply(MessageService.Sent sent) {

    static final class Writer extends StdSerializer<SentReply> {
        Writer() {
            super(SentReply.class);
        }

        @Override
        public void serialize(SentReply reply, JsonGenerator out, SerializerProvider provider) throws IOException {
            MessageService.Sent sent = reply.sent();
            String message = sent.json() != null ? sent.json() : Json.mapper().writeValueAsString(sent.message());
            out.writeStartObject();
            try (JsonParser fields = Json.mapper().getFactory().createParser(message)) {
                if (fields.nextToken() != JsonToken.START_OBJECT) {
                    throw new IllegalStateException("a message renders as a JSON object");
                }
                // At each field name, copyCurrentStructure writes the name and its whole value.
                while (fields.nextToken() == JsonToken.FIELD_NAME) {
                    out.copyCurrentStructure(fields);
                }
            }
            out.writeBooleanField("created", sent.created());
            out.writeEndObject();
        }
    }
}
