package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.util.Map;

/**
 * What a parsed request body may hold beyond being JSON, checked before anything is written:
 * nesting no deeper than {@code AGENT_RELAY_MAX_JSON_DEPTH}, strings and keys that are valid
 * Unicode without the NUL character, finite numbers. Each rule protects a later write or read: a stored value nested nearly as deep as
 * Jackson's writer allows made every list that rendered it fail; a lone surrogate (sent as a
 * {@code \udfff} escape) was stored as {@code ?}, so distinct keys collided, and made the rendering
 * fail after commit; PostgreSQL cannot store U+0000 in text at all (the write failed with a 500);
 * {@code 1e400} became the string {@code "Infinity"}.
 */
final class JsonLimits {
    private JsonLimits() {
    }

    /** Throws {@link RelayError.InvalidInput} naming the top-level field whose value breaks a rule. */
    static void check(ObjectNode body, int maxDepth) {
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String field = entry.getKey();
            if (!Require.isValidUnicode(field)) {
                throw new RelayError.InvalidInput(null, "body has a key that is not valid Unicode (a lone surrogate) "
                        + "or holds the NUL character");
            }
            check(field, entry.getValue(), 0, maxDepth);
        }
    }

    /** {@code depth}: the containers around {@code value} inside the field's value. */
    private static void check(String field, JsonNode value, int depth, int maxDepth) {
        if (value.isContainerNode()) {
            if (depth + 1 > maxDepth) {
                throw new RelayError.InvalidInput(field, "is nested deeper than " + maxDepth
                        + " levels (AGENT_RELAY_MAX_JSON_DEPTH)");
            }
            if (value.isObject()) {
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    if (!Require.isValidUnicode(entry.getKey())) {
                        throw new RelayError.InvalidInput(field, "has a key that is not valid Unicode (a lone surrogate) "
                                + "or holds the NUL character");
                    }
                    check(field, entry.getValue(), depth + 1, maxDepth);
                }
            } else {
                for (JsonNode item : value) {
                    check(field, item, depth + 1, maxDepth);
                }
            }
        } else if (value.isTextual()) {
            if (!Require.isValidUnicode(value.textValue())) {
                throw new RelayError.InvalidInput(field, value.textValue().indexOf('\0') >= 0
                        ? "must not hold the NUL character (\\u0000)" : "is not valid Unicode (it holds a lone surrogate)");
            }
        } else if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            throw new RelayError.InvalidInput(field, "holds a number too large to store (beyond ±1.8e308)");
        }
    }
}
