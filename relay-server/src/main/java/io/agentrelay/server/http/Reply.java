package io.agentrelay.server.http;

/**
 * What a handler answers: a success status and a body rendered as JSON. A failure is never a
 * reply: it is a typed error, rendered by {@link Errors}.
 */
record Reply(int status, Object body) {
    Reply {
        if (status < 200 || status > 299) {
            throw new IllegalArgumentException("a reply is a 2xx; failures are typed errors rendered by Errors, not "
                    + status);
        }
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
