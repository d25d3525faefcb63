package io.agentrelay.server.errors;

/**
 * The failures the relay reports to a client, from a service or from the edge itself
 * (authentication, body limits, deadlines). The HTTP edge maps each to a status, and a WebSocket
 * to a close code, in one place ({@code http.Errors}); anything else is an internal error.
 */
public sealed abstract class RelayError extends RuntimeException
        permits RelayError.InvalidInput, RelayError.NotFound, RelayError.Conflict,
                RelayError.Forbidden, RelayError.Unauthorized, RelayError.PayloadTooLarge,
                RelayError.RateLimited, RelayError.MethodNotAllowed, RelayError.RequestTimeout,
                RelayError.UnsupportedMediaType, RelayError.Unavailable {

    private RelayError(String message) {
        super(message, null, false, false);
    }

    /** 400: a request field is missing, of the wrong type or out of range. */
    public static final class InvalidInput extends RelayError {
        private final String field;

        public InvalidInput(String field, String problem) {
            this(field, problem, field != null);
        }

        /** {@code named}: the message is the field's name, then {@code text}; else {@code text} alone. */
        private InvalidInput(String field, String text, boolean named) {
            super(named ? field + " " + text : text);
            this.field = field;
        }

        /**
         * About {@code field}, in words that do not start with its name: the TypeScript server's
         * texts ({@code invalid provider: x. Must be one of: claude, codex}) kept as they are.
         */
        public static InvalidInput worded(String field, String message) {
            return new InvalidInput(field, message, false);
        }

        public String field() {
            return field;
        }
    }

    /** 404: the named thing does not exist. */
    public static final class NotFound extends RelayError {
        public NotFound(String message) {
            super(message);
        }
    }

    /** 409: the request conflicts with the current state; {@code details} are added to the body. */
    public static final class Conflict extends RelayError {
        private final java.util.Map<String, Object> details;

        public Conflict(String message) {
            this(message, java.util.Map.of());
        }

        public Conflict(String message, java.util.Map<String, Object> details) {
            super(message);
            this.details = java.util.Map.copyOf(details);
        }

        public java.util.Map<String, Object> details() {
            return details;
        }
    }

    /** 403: the caller is known but may not do this. */
    public static final class Forbidden extends RelayError {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** 401: no valid credentials. */
    public static final class Unauthorized extends RelayError {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** 413: the request body is over the configured limit. */
    public static final class PayloadTooLarge extends RelayError {
        public PayloadTooLarge(String message) {
            super(message);
        }
    }

    /** 429: the caller sent too much; it may try again after {@code retryAfterSeconds}. */
    public static final class RateLimited extends RelayError {
        private final long retryAfterSeconds;

        public RateLimited(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** 405: the path exists but not with this method. */
    public static final class MethodNotAllowed extends RelayError {
        public MethodNotAllowed(String message) {
            super(message);
        }
    }

    /** 408: the client stopped sending its request (WebSocket: its hello) before it was complete. */
    public static final class RequestTimeout extends RelayError {
        public RequestTimeout(String message) {
            super(message);
        }
    }

    /** 415: a body in a form the relay does not read. */
    public static final class UnsupportedMediaType extends RelayError {
        public UnsupportedMediaType(String message) {
            super(message);
        }
    }

    /** 503: the relay cannot take the request now; the caller may try again after {@code retryAfterSeconds}. */
    public static final class Unavailable extends RelayError {
        private final long retryAfterSeconds;

        public Unavailable(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
