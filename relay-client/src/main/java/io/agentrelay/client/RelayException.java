package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A call the relay refused, or could not be made. {@link #getMessage()} is the relay's own
 * {@code error} text (for example {@code "message 3 is already claimed by bob"}); {@link #status()}
 * is the HTTP status, or 0 when the relay could not be reached.
 *
 * <p>Catch a subclass to handle one outcome: {@link InvalidInput} (400, 413, 422),
 * {@link Unauthorized} (401), {@link Forbidden} (403), {@link NotFound} (404), {@link Conflict}
 * (409), {@link RateLimited} (429) and {@link Unavailable} (no answer). Any other status is a plain
 * {@code RelayException}.
 */
public sealed class RelayException extends RuntimeException
        permits RelayException.InvalidInput, RelayException.Unauthorized, RelayException.Forbidden,
                RelayException.NotFound, RelayException.Conflict, RelayException.RateLimited,
                RelayException.Unavailable {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient JsonNode body;

    RelayException(int status, String message, JsonNode body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body;
    }

    /** The HTTP status of the answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /** The relay's JSON error body ({@code {"error": ...}} and any details), or null. */
    public JsonNode body() {
        return body;
    }

    /** The machine-readable {@code code} of the error body, or null. */
    public String code() {
        return text(body, "code");
    }

    // getMessage() stays the relay's own error text (what callers show a person); toString adds the
    // status for logs and stack traces.
    @Override
    @SuppressWarnings("OverrideThrowableToString")
    public String toString() {
        return getClass().getName() + " (" + (status == 0 ? "no answer" : "HTTP " + status) + "): " + getMessage();
    }

    /** Builds the exception matching an error answer. */
    static RelayException of(int status, JsonNode body, String retryAfter) {
        String message = text(body, "error");
        if (message == null) {
            message = "the relay answered HTTP " + status;
        }
        return switch (status) {
            case 400, 413, 422 -> new InvalidInput(status, message, body);
            case 401 -> new Unauthorized(message, body);
            case 403 -> new Forbidden(message, body);
            case 404 -> new NotFound(message, body);
            case 409 -> new Conflict(message, body);
            case 429 -> new RateLimited(message, body, parseSeconds(retryAfter));
            default -> new RelayException(status, message, body, null);
        };
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Duration parseSeconds(String raw) {
        try {
            return raw == null ? null : Duration.ofSeconds(Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 400 (or 413, 422): the request was malformed; {@link #field()} names the culprit when known. */
    public static final class InvalidInput extends RelayException {
        private static final long serialVersionUID = 1L;

        InvalidInput(int status, String message, JsonNode body) {
            super(status, message, body, null);
        }

        /** The request field the relay complained about, or null. */
        public String field() {
            return text(body(), "field");
        }
    }

    /** 401: no token, or a wrong one (see {@code AGENT_RELAY_TOKEN}). */
    public static final class Unauthorized extends RelayException {
        private static final long serialVersionUID = 1L;

        Unauthorized(String message, JsonNode body) {
            super(401, message, body, null);
        }
    }

    /** 403: the caller may not do this (for example claim a message not addressed to it). */
    public static final class Forbidden extends RelayException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message, JsonNode body) {
            super(403, message, body, null);
        }
    }

    /** 404: no such agent or message. */
    public static final class NotFound extends RelayException {
        private static final long serialVersionUID = 1L;

        NotFound(String message, JsonNode body) {
            super(404, message, body, null);
        }
    }

    /**
     * 409: the state does not allow it — a claim held by another agent ({@link #claimedBy()}), a
     * stale session ({@link #staleSession()}: a newer process registered the same agent id), or a
     * config key at another version than a compare-and-set expected ({@link #version()}).
     */
    public static final class Conflict extends RelayException {
        private static final long serialVersionUID = 1L;

        Conflict(String message, JsonNode body) {
            super(409, message, body, null);
        }

        /** Who holds the claim that blocked this one, or null. */
        public String claimedBy() {
            return text(body(), "claimedBy");
        }

        /**
         * For a config compare-and-set the relay refused: the key's version now (0 when it has no
         * entry); null for other conflicts.
         */
        public Long version() {
            JsonNode version = body() == null ? null : body().get("version");
            return version == null || !version.canConvertToLong() ? null : version.longValue();
        }

        /** True when the session guard did not match: this process no longer speaks for the agent. */
        public boolean staleSession() {
            return "stale_session".equals(code());
        }
    }

    /** 429: too many requests; retry after {@link #retryAfter()} (null when the relay did not say). */
    public static final class RateLimited extends RelayException {
        private static final long serialVersionUID = 1L;
        private final Duration retryAfter;

        RateLimited(String message, JsonNode body, Duration retryAfter) {
            super(429, message, body, null);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** No answer: the relay is not running, not reachable, or the call timed out or was interrupted. */
    public static final class Unavailable extends RelayException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(0, message, null, cause);
        }
    }
}
