package io.agentrelay.server.tasks;

import io.agentrelay.api.TaskStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The moves an agent may make with a task ({@code PATCH /api/tasks/:id/status}); anything else is a
 * 409. Documented, row for row, in docs/integrations.md.
 *
 * <pre>
 * open        → claimed, canceled
 * claimed     → in_progress, blocked, done, failed, canceled
 * in_progress → in_progress (a progress report), blocked, done, failed, canceled
 * blocked     → in_progress, blocked (a progress report), done, failed, canceled
 * done, failed, canceled → nothing: they are final
 * </pre>
 *
 * Two moves are the relay's own and not in this table: the reaper puts a task whose holder went
 * offline back to {@code open}, and an integration's {@code resolved} event closes an active task
 * as {@code done}.
 */
public final class Transitions {
    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = new EnumMap<>(TaskStatus.class);

    static {
        Set<TaskStatus> finishing = EnumSet.of(TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.CANCELED);
        ALLOWED.put(TaskStatus.OPEN, EnumSet.of(TaskStatus.CLAIMED, TaskStatus.CANCELED));
        ALLOWED.put(TaskStatus.CLAIMED, with(finishing, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED));
        ALLOWED.put(TaskStatus.IN_PROGRESS, with(finishing, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED));
        ALLOWED.put(TaskStatus.BLOCKED, with(finishing, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED));
        ALLOWED.put(TaskStatus.DONE, EnumSet.noneOf(TaskStatus.class));
        ALLOWED.put(TaskStatus.FAILED, EnumSet.noneOf(TaskStatus.class));
        ALLOWED.put(TaskStatus.CANCELED, EnumSet.noneOf(TaskStatus.class));
    }

    private Transitions() {
    }

    public static boolean allowed(TaskStatus from, TaskStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Where a task in {@code from} may go, in lifecycle order. */
    public static List<TaskStatus> from(TaskStatus from) {
        return List.copyOf(ALLOWED.get(from));
    }

    private static Set<TaskStatus> with(Set<TaskStatus> base, TaskStatus... more) {
        EnumSet<TaskStatus> out = EnumSet.copyOf(base);
        out.addAll(Set.of(more));
        return out;
    }
}
