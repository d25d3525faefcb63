package io.agentrelay.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * One entry of a task's history. {@code eventId} is the event-log entry written in the same
 * transaction; {@code from}/{@code to} are the statuses around the change (equal for occurrences
 * and progress reports).
 */
public record TaskEvent(long id, long taskId, Kind kind, String agentId, TaskStatus from, TaskStatus to,
                        Map<String, Object> data, long eventId, long at) {

    public TaskEvent {
        data = data == null ? Map.of() : data;
    }

    /** What happened to the task. */
    public enum Kind implements Wire {
        CREATED("created"),
        OCCURRENCE("occurrence"),
        CLAIMED("claimed"),
        STATUS("status"),
        RELEASED("released"),
        RESOLVED("resolved");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        @JsonValue
        @Override
        public String wire() {
            return wire;
        }
    }
}
