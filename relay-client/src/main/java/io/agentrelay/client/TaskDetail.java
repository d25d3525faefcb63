package io.agentrelay.client;

import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import java.util.List;

/**
 * One task with its history, as {@link Tasks#get(long)} returns it.
 *
 * @param task the task's current state
 * @param events every change to it, oldest first: created, occurrences, claims, status moves,
 *     releases by the reaper, resolution by the integration
 */
public record TaskDetail(Task task, List<TaskEvent> events) {
    public TaskDetail {
        events = List.copyOf(events);
    }
}
