package io.agentrelay.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request body, parsed as a JSON object, read field by field. Each accessor checks the JSON type
 * and says which field is wrong; length and range rules live in the command records.
 * Unknown fields are ignored; a key given twice is refused (a proxy reading the first one would see
 * another request than the relay, which used to keep the last).
 */
final class JsonBody {
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };
    // Anything after the object is an error: "{...} garbage" must not be half-accepted.
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /** What the relay says of a body that is JSON but not an object. */
    static final String NOT_AN_OBJECT = "body must be a JSON object";

    private final ObjectNode node;
    /** How errors name this object's fields: "" for the body, {@code agents[0].} for an entry of an array. */
    private final String prefix;

    private JsonBody(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /**
     * Parses the body's bytes: strict UTF-8 (no byte-order mark, no other encoding guessed from the
     * first bytes, as Jackson would), one JSON object, then {@link JsonLimits}. An empty body is an
     * empty object.
     */
    static JsonBody parse(byte[] utf8, int maxDepth) {
        return parse(utf8, maxDepth, NOT_AN_OBJECT);
    }

    /** {@link #parse(byte[], int)}, saying {@code notAnObject} of a body that is not an object. */
    static JsonBody parse(byte[] utf8, int maxDepth, String notAnObject) {
        if (utf8 == null || isBlank(utf8)) {
            return new JsonBody(Json.mapper().createObjectNode(), "");
        }
        return parseObject(utf8, maxDepth, notAnObject);
    }

    /**
     * {@link #parse}, for an endpoint whose body must be a JSON object: an empty body, like any
     * other JSON value, is refused with {@code notAnObject}.
     */
    static JsonBody parseObject(byte[] utf8, int maxDepth, String notAnObject) {
        if (utf8 == null || isBlank(utf8)) {
            throw new RelayError.InvalidInput(null, notAnObject);
        }
        JsonNode parsed;
        try {
            parsed = READER.readTree(decode(utf8));
        } catch (IOException e) {
            throw notJson(e, maxDepth);
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new RelayError.InvalidInput(null, notAnObject);
        }
        JsonLimits.check(object, maxDepth);
        return new JsonBody(object, "");
    }

    private static String decode(byte[] utf8) {
        if (utf8.length >= 3 && (utf8[0] & 0xff) == 0xEF && (utf8[1] & 0xff) == 0xBB && (utf8[2] & 0xff) == 0xBF) {
            throw new RelayError.InvalidInput(null, "body is not valid JSON: it starts with a byte-order mark; "
                    + "send UTF-8 without one");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new RelayError.InvalidInput(null, "body is not valid JSON: it is not UTF-8");
        }
    }

    private static boolean isBlank(byte[] utf8) {
        for (byte b : utf8) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static RelayError.InvalidInput notJson(IOException e, int maxDepth) {
        if (e instanceof StreamConstraintsException) {
            return new RelayError.InvalidInput(null, "body is nested deeper than " + maxDepth
                    + " levels (AGENT_RELAY_MAX_JSON_DEPTH)");
        }
        if (e instanceof JsonParseException parse && parse.getProcessor() != null
                && parse.getOriginalMessage() != null && parse.getOriginalMessage().startsWith("Duplicate field")) {
            // The parser stands on the repeated key; name the top-level field it is in.
            com.fasterxml.jackson.core.JsonStreamContext where = parse.getProcessor().getParsingContext();
            String key = where.getCurrentName();
            String pointer = where.pathAsPointer().toString();
            String top = pointer.length() > 1 ? pointer.substring(1).split("/", 2)[0] : key;
            return new RelayError.InvalidInput(top, top != null && top.equals(key)
                    ? "appears twice in the body" : "has the key '" + key + "' twice");
        }
        if (e instanceof JsonProcessingException processing) {
            // The location is useful to a client; Jackson's full message (source excerpts) is not.
            String where = processing.getLocation() == null ? ""
                    : " (line " + processing.getLocation().getLineNr() + ", column "
                    + processing.getLocation().getColumnNr() + ")";
            return new RelayError.InvalidInput(null, "body is not valid JSON" + where);
        }
        return new RelayError.InvalidInput(null, "body is not valid JSON");
    }

    /** Whether the field is present with the value {@code null} (as opposed to absent). */
    boolean presentAsNull(String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNull();
    }

    /** The whole object as sent. */
    JsonNode root() {
        return node;
    }

    /** The field's value as sent, any JSON (a JSON {@code null} is a {@code NullNode}); null when absent. */
    JsonNode tree(String field) {
        return node.get(field);
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RelayError.InvalidInput(at(field), "must be a string");
        }
        return value.textValue();
    }

    Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new RelayError.InvalidInput(at(field), "must be true or false");
        }
        return value.booleanValue();
    }

    Long integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new RelayError.InvalidInput(at(field), "must be a whole number");
        }
        return value.longValue();
    }

    Integer smallInteger(String field) {
        Long value = integer(field);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new RelayError.InvalidInput(at(field), "is out of range");
        }
        return value.intValue();
    }

    List<String> strings(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new RelayError.InvalidInput(at(field), "must be an array of strings");
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new RelayError.InvalidInput(at(field), "must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    List<Long> integers(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw new RelayError.InvalidInput(at(field), "must be an array of whole numbers");
        }
        List<Long> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isIntegralNumber() || !item.canConvertToLong()) {
                throw new RelayError.InvalidInput(at(field), "must be an array of whole numbers");
            }
            out.add(item.longValue());
        }
        return out;
    }

    Map<String, Object> object(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new RelayError.InvalidInput(at(field), "must be a JSON object");
        }
        return Json.mapper().convertValue(value, OBJECT);
    }

    /** One of an enum's wire names. Unlike a query parameter, {@code ""} is not "absent": it is refused. */
    <E extends Enum<E> & Wire> E choice(String field, Class<E> type) {
        String value = string(field);
        if (value != null && value.isEmpty()) {
            throw new RelayError.InvalidInput(at(field), "must be one of " + Wire.choices(type) + ", got ''");
        }
        return value == null ? null : Params.choice(at(field), value, type);
    }

    /**
     * An array of objects, each read as a body of its own whose errors name the entry
     * ({@code agents[0].cwd is required}). Absent, null or not an array: {@code agents must be an
     * array}; an entry that is not an object: {@code notAnObject}, as given.
     */
    List<JsonBody> objects(String field, String notAnObject) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new RelayError.InvalidInput(at(field), "must be an array");
        }
        List<JsonBody> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!(item instanceof ObjectNode object)) {
                throw RelayError.InvalidInput.worded(at(field), notAnObject);
            }
            out.add(new JsonBody(object, at(field) + "[" + out.size() + "]."));
        }
        return out;
    }

    /**
     * The object {@code field} holds, read as a body of its own whose errors name its fields
     * ({@code value.cwd is required}); {@code notAnObject} (the field's name first) when it is not an
     * object; null when absent.
     */
    JsonBody nested(String field, String notAnObject) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw new RelayError.InvalidInput(at(field), notAnObject);
        }
        return new JsonBody(object, at(field) + ".");
    }

    /** How errors name {@code field} of this object. */
    String at(String field) {
        return prefix + field;
    }
}
