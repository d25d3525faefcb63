package io.agentrelay.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Counts the JSON-RPC requests that come in on stdin and the responses that go out on stdout
 * (newline-delimited messages), so that when the client closes stdin the server can answer every
 * request it received first, then exit: a tool call sent just before EOF is not dropped.
 *
 * <p>The MCP SDK closes its session, dropping answers still being worked on, as soon as its
 * reader sees the end of stdin. So the end is reported to {@link #inputClosed()} at once, but
 * handed to the SDK's reader only once every request has its answer (or after {@code drain}).
 * Thread-safe (monitor).
 */
final class Exchange {
    private final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    private final Duration drain;
    private long requests;
    private long responses;

    Exchange(Duration drain) {
        this.drain = drain;
    }

    /** Completes when stdin ends: the client has gone. */
    CompletableFuture<Void> inputClosed() {
        return inputClosed;
    }

    InputStream input(InputStream stdin) {
        return new FilterInputStream(stdin) {
            private final Lines lines = new Lines(Exchange.this::received);

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    ended();
                } else {
                    lines.write(b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n < 0) {
                    ended();
                } else {
                    lines.write(buffer, offset, n);
                }
                return n;
            }

            /** Reports the end, then keeps it from the SDK until what was asked is answered. */
            private void ended() throws IOException {
                inputClosed.complete(null);
                try {
                    awaitAnswered(drain);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while answering the last requests");
                }
            }

            @Override
            public void close() throws IOException {
                inputClosed.complete(null);
                super.close();
            }
        };
    }

    OutputStream output(OutputStream stdout) {
        return new FilterOutputStream(stdout) {
            private final Lines lines = new Lines(Exchange.this::sent);

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                lines.write(b);
            }

            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                lines.write(buffer, offset, length);
            }
        };
    }

    /**
     * Waits until every request received so far has its response on stdout, or {@code timeout}
     * passes; true when all were answered.
     */
    synchronized boolean awaitAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (responses < requests) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void received(JsonNode message) {
        // A request has a method and an id; a notification has no id and gets no answer.
        if (message.hasNonNull("method") && message.hasNonNull("id")) {
            requests++;
        }
    }

    private synchronized void sent(JsonNode message) {
        if (!message.has("method") && message.hasNonNull("id")) {
            responses++;
            notifyAll();
        }
    }

    /** Splits a byte stream into lines and hands each JSON line on. Confined to one stream's thread. */
    private static final class Lines {
        private final java.util.function.Consumer<JsonNode> each;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(java.util.function.Consumer<JsonNode> each) {
            this.each = each;
        }

        void write(byte[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(buffer[i]);
            }
        }

        void write(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            byte[] text = line.toByteArray();
            line.reset();
            try {
                JsonNode message = Json.mapper().readTree(text);
                if (message != null && message.isObject()) {
                    each.accept(message);
                }
            } catch (IOException notJson) {
                // not a protocol message: the SDK answers it (or not) as it sees fit
            }
        }
    }
}
