package io.agentrelay.server.store;

import io.agentrelay.api.TaskStatus;

/** A page of tasks, newest first; a null filter matches everything; {@code before} 0 = no bound. */
public record TaskQuery(TaskStatus status, String target, String channel, String integration, long before,
                        int limit) {
}
