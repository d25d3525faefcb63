package io.agentrelay.server.events;

/**
 * Why the relay ended a live stream: the WebSocket close code and the reason both transports
 * state (an SSE stream ends with {@code : closed <reason>}, except a slow consumer's, which is
 * dropped at once because its queue is full). The relay chooses a close code only from here.
 */
public enum StreamEnd {
    /** The relay is stopping gracefully. */
    SHUTDOWN(1001, "shutdown"),
    /** The client's outbound queue overflowed; it resumes from its last event id. */
    SLOW_CONSUMER(1008, "backpressure"),
    /** The replay could not read the log. */
    REPLAY_FAILED(1011, "replay failed"),
    /** WebSocket only: a frame broke the protocol (the close reason says how). */
    BAD_FRAME(1003, "bad frame"),
    /** WebSocket only: a client message over the size limit. */
    TOO_LARGE(1009, "message too large"),
    /** WebSocket only: the client connected but never said hello. */
    HELLO_TIMEOUT(1008, "no hello"),
    /** Anything else: a bug or a store failure, logged by the relay. */
    INTERNAL(1011, "internal error");

    private final short closeCode;
    private final String reason;

    StreamEnd(int closeCode, String reason) {
        this.closeCode = (short) closeCode;
        this.reason = reason;
    }

    /** The WebSocket close code (RFC 6455, section 7.4.1). */
    public short closeCode() {
        return closeCode;
    }

    /** The reason as the client reads it: the SSE closing comment, the default WebSocket close reason. */
    public String reason() {
        return reason;
    }
}
