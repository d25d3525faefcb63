package io.agentrelay.cli.bench;

import io.vertx.core.buffer.Buffer;

/** The request bodies the scenarios send, and the send time some of them carry. */
final class Bodies {
    private Bodies() {
    }

    /** Message n from {@code from} to {@code to}, about the length of a short note between agents. */
    static Buffer note(String from, String to, long n) {
        return Buffer.buffer("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"subject\":\"bench\",\"body\":\"message " + n
                + " of the benchmark, about as long as a short note from one agent to another\"}");
    }

    /** A message whose body carries the send time: {@code "body":"t=<nanos>"}. */
    static Buffer timed(String to) {
        return Buffer.buffer("{\"from\":\"bench\",\"to\":\"" + to + "\",\"body\":\"t=" + System.nanoTime() + "\"}");
    }

    /** Microseconds since the send time in a frame of a {@link #timed} message, or -1 for any other frame. */
    static long microsSinceSent(String frame) {
        int at = frame.indexOf("\"body\":\"t=");
        if (at < 0) {
            return -1;
        }
        int from = at + 10;
        long sent = Long.parseLong(frame.substring(from, frame.indexOf('"', from)));
        return Math.max(1, (System.nanoTime() - sent) / 1_000);
    }
}
