package io.agentrelay.server.http;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A reply body that is JSON text already (a message rendered once, on the writer, for its event):
 * the edge writes its bytes as they are, and Jackson, should it meet one inside another value,
 * writes it raw too.
 */
record JsonText(@JsonValue @JsonRawValue String json) {
}
