package io.agentrelay.server.tasks;

import io.agentrelay.api.Severity;
import io.agentrelay.api.Target;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/integrations/events}: an alert, a failed build, a ticket. {@code status} takes
 * every task status plus {@code resolved}, as the TypeScript server does; what each does to the
 * active task of the same {@code dedupeKey} is {@link Status#closesAs()}:
 * <ul>
 * <li>absent, {@code open}, {@code claimed}, {@code in_progress}, {@code blocked}: the condition is
 *     (still) there. A new task is raised, or the active one counts another occurrence. Its status
 *     is not changed: claiming and working a task are its agent's moves, not the source's.</li>
 * <li>{@code resolved} and {@code done}: the condition is over; the active task becomes {@code done}.</li>
 * <li>{@code failed}, {@code canceled}: the active task becomes {@code failed} / {@code canceled}.</li>
 * </ul>
 * A closing status with no active task changes nothing.
 *
 * <p>{@code target} may be null when {@code channel} is given: the channel's first binding then
 * names it (REFERENCE §1.5).
 */
public record IntegrationEvent(Target target, String channel, String dedupeKey, String title, String body,
                               Severity severity, String externalUrl, Map<String, Object> metadata, Status status) {

    public static final int MAX_TITLE = 500;
    public static final int MAX_DEDUPE_KEY = 240;
    public static final int MAX_CHANNEL = 120;
    public static final int MAX_URL = 2_000;

    /** What the source says about the condition. */
    public enum Status implements Wire {
        OPEN("open", null),
        CLAIMED("claimed", null),
        IN_PROGRESS("in_progress", null),
        BLOCKED("blocked", null),
        DONE("done", TaskStatus.DONE),
        FAILED("failed", TaskStatus.FAILED),
        CANCELED("canceled", TaskStatus.CANCELED),
        RESOLVED("resolved", TaskStatus.DONE);

        private final String wire;
        private final TaskStatus closesAs;

        Status(String wire, TaskStatus closesAs) {
            this.wire = wire;
            this.closesAs = closesAs;
        }

        @Override
        public String wire() {
            return wire;
        }

        /** The final status this event gives the active task, or null when it raises or repeats one. */
        public TaskStatus closesAs() {
            return closesAs;
        }
    }

    public IntegrationEvent {
        if (target instanceof Target.Pool || target instanceof Target.Policy) {
            throw new RelayError.InvalidInput("target", "pool: and policy: targets are not supported by this relay yet");
        }
        Require.optionalText("channel", channel, MAX_CHANNEL);
        if (channel != null && channel.isBlank()) {
            channel = null;
        }
        if (target == null && channel == null) {
            // Without a target, the channel's first binding gives it (TaskService).
            throw new RelayError.InvalidInput("target", "is required");
        }
        if (dedupeKey != null) {
            Require.text("dedupeKey", dedupeKey, MAX_DEDUPE_KEY);
        }
        status = status == null ? Status.OPEN : status;
        if (status.closesAs() != null) {
            if (dedupeKey == null) {
                throw new RelayError.InvalidInput("dedupeKey", "is required with status \"" + status.wire() + "\"");
            }
            Require.optionalText("title", title, MAX_TITLE);
        } else {
            Require.text("title", title, MAX_TITLE);
        }
        severity = severity == null ? Severity.INFO : severity;
        if (externalUrl != null) {
            Require.text("externalUrl", externalUrl, MAX_URL);
            externalUrl = webUrl(externalUrl);
        }
        metadata = metadata == null ? Map.of() : metadata;
    }

    private static String webUrl(String raw) {
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return raw;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw new RelayError.InvalidInput("externalUrl", "must be an http:// or https:// URL");
    }
}
