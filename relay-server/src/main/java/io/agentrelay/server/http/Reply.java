package io.agentrelay.server.http;

/**
 * What a handler answers: a success status and a body rendered as JSON. A failure is never a
 * reply: it is a typed error, rendered by {@link Errors}. The one exception is {@link #badGateway}:
 * a program the relay ran for the caller failed, and the answer is that run's result, as the
 * TypeScript server gives it (a connector's action).
 */
record Reply(int status, Object body) {
    Reply {
        if ((status < 200 || status > 299) && status != 502) {
            throw new IllegalArgumentException("a reply is a 2xx (or a 502 with a program's result); failures are "
                    + "typed errors rendered by Errors, not " + status);
        }
    }

    /** 502 with the result of a program the relay ran, which failed. */
    static Reply badGateway(Object result) {
        return new Reply(502, result);
    }

    static Reply ok(Object body) {
        return new Reply(200, body);
    }

    static Reply created(Object body) {
        return new Reply(201, body);
    }

    static Reply accepted(Object body) {
        return new Reply(202, body);
    }
}
