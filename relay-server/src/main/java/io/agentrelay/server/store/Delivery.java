package io.agentrelay.server.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import io.agentrelay.api.Wire;
import java.util.List;

/**
 * One callback to send: a task change reported to its integration's {@code callbackUrl}. Written in
 * the same transaction as the change (an outbox), so a committed change is never left unreported.
 *
 * @param task     the task as it was after the change, as stored JSON
 * @param attempts how many attempts were made so far
 * @param log      the attempts, when listed with them (null otherwise)
 */
public record Delivery(long id, String integration, long taskId, long eventId, @JsonRawValue String task,
                       State status, int attempts, long nextAttemptAt, Integer lastStatusCode, String lastError,
                       long createdAt, long updatedAt, Long deliveredAt,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<DeliveryAttempt> log) {

    /** Where a delivery stands. */
    public enum State implements Wire {
        PENDING("pending"),
        DELIVERED("delivered"),
        FAILED("failed");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }
    }

    public Delivery withLog(List<DeliveryAttempt> attemptsMade) {
        return new Delivery(id, integration, taskId, eventId, task, status, attempts, nextAttemptAt, lastStatusCode,
                lastError, createdAt, updatedAt, deliveredAt, List.copyOf(attemptsMade));
    }
}
