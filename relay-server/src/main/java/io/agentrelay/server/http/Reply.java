package io.agentrelay.server.http;

/** What a handler answers: a status and a body rendered as JSON. */
record Reply(int status, Object body) {
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
