package io.agentrelay.server.tasks;

import io.agentrelay.api.Severity;
import io.agentrelay.api.Target;
import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/integrations/events}: an alert, a failed build, a ticket. Without {@code status}
 * (or with {@code open}) it raises a task or, while one with the same {@code dedupeKey} is active,
 * counts another occurrence; {@code resolved} closes the active task as {@code done}.
 */
public record IntegrationEvent(Target target, String channel, String dedupeKey, String title, String body,
                               Severity severity, String externalUrl, Map<String, Object> metadata, Status status) {

    public static final int MAX_TITLE = 500;
    public static final int MAX_DEDUPE_KEY = 240;
    public static final int MAX_CHANNEL = 120;
    public static final int MAX_URL = 2_000;

    /** What the source says about the condition. */
    public enum Status implements Wire {
        OPEN("open"),
        RESOLVED("resolved");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public IntegrationEvent {
        if (target == null) {
            throw new RelayError.InvalidInput("target", "is required");
        }
        if (target instanceof Target.Pool || target instanceof Target.Policy) {
            throw new RelayError.InvalidInput("target", "pool: and policy: targets are not supported by this relay yet");
        }
        Require.optionalText("channel", channel, MAX_CHANNEL);
        if (channel != null && channel.isBlank()) {
            channel = null;
        }
        if (dedupeKey != null) {
            Require.text("dedupeKey", dedupeKey, MAX_DEDUPE_KEY);
        }
        status = status == null ? Status.OPEN : status;
        if (status == Status.RESOLVED) {
            if (dedupeKey == null) {
                throw new RelayError.InvalidInput("dedupeKey", "is required with status \"resolved\"");
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
