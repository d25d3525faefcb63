package io.agentrelay.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.RelayEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A live subscription to the relay's event stream ({@code GET /api/events/stream}, SSE) that
 * survives disconnects: when the connection ends or goes silent it reconnects with exponential
 * backoff and jitter, sending {@code Last-Event-ID} so the relay replays exactly what was missed.
 * Events reach the {@link EventListener} once each, in id order, with no gap.
 *
 * <p>Get one from {@link Events#subscribe}. It runs on its own virtual thread until
 * {@link #close()}; every method is thread-safe.
 */
public final class LiveStream implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveStream.class.getName());

    private final Events events;
    private final Transport transport;
    private final EventFilter filter;
    private final StreamOptions options;
    private final EventListener listener;
    private final Backoff backoff;
    // -1 until the starting point is known (the relay was unreachable when subscribing).
    private volatile long lastEventId = -1;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile RelayException failure;
    private volatile InputStream body;
    private volatile long lastActivity;
    private Thread reader;
    private Thread watchdog;
    private volatile Runnable onClosed = () -> { };

    private LiveStream(Events events, Transport transport, EventFilter filter, StreamOptions options,
                       EventListener listener) {
        this.events = events;
        this.transport = transport;
        this.filter = filter;
        this.options = options;
        this.listener = listener;
        this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    }

    static LiveStream start(Events events, Transport transport, EventFilter filter, StreamOptions options,
                            EventListener listener) {
        LiveStream stream = new LiveStream(events, transport, filter, options, listener);
        if (options.resumeAfter() != null) {
            stream.lastEventId = options.resumeAfter();
        } else {
            try {
                // Fix the starting point now, so every event after this call is delivered.
                stream.lastEventId = events.newestEventId();
            } catch (RelayException.Unavailable e) {
                // The reader resolves it once the relay answers.
            }
        }
        String name = "relay-stream" + (filter.agentId() == null ? "" : "-" + filter.agentId());
        stream.reader = Thread.ofVirtual().name(name).start(stream::run);
        stream.watchdog = Thread.ofVirtual().name(name + "-watchdog").start(stream::watch);
        return stream;
    }

    /** The id of the last event delivered (or the starting point); -1 while not yet known. */
    public long lastEventId() {
        return lastEventId;
    }

    /** True while a connection is open. */
    public boolean connected() {
        return connected;
    }

    /** Why the stream gave up (the relay refused it), or null while it runs or after a plain close. */
    public RelayException failure() {
        return failure;
    }

    /** True once closed, or once the stream gave up. */
    public boolean closed() {
        return closed;
    }

    /** Stops the stream and its threads; no callback runs after this returns, except one in progress. */
    @Override
    public void close() {
        closed = true;
        onClosed.run();
        closeBody();
        if (reader != null && reader != Thread.currentThread()) {
            reader.interrupt();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
    }

    private void run() {
        while (!closed) {
            Throwable cause;
            try {
                if (lastEventId < 0) {
                    lastEventId = events.newestEventId();
                }
                readOnce();
                cause = null;
            } catch (RelayException e) {
                if (!retryable(e)) {
                    failure = e;
                    connected = false;
                    closed = true;
                    onClosed.run();
                    notifyDisconnected(e, null);
                    return;
                }
                cause = e;
            } catch (IOException e) {
                cause = e;
            } catch (InterruptedException e) {
                cause = e;
            }
            connected = false;
            closeBody();
            if (closed) {
                return;
            }
            Duration delay = backoff.next();
            notifyDisconnected(cause, delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One connection: open with Last-Event-ID, deliver frames until the stream ends. */
    private void readOnce() throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        headers.put("Last-Event-ID", Long.toString(lastEventId));
        HttpResponse<InputStream> response = transport.stream(Transport.query("/api/events/stream", filter.query()), headers);
        body = response.body();
        lastActivity = System.nanoTime();
        if (closed) {
            return;
        }
        connected = true;
        backoff.reset();
        long resumedAfter = lastEventId;
        try {
            listener.onConnected(resumedAfter);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream listener failed in onConnected", e);
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Long frameId = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                lastActivity = System.nanoTime();
                if (line.isEmpty()) {
                    if (data != null) {
                        deliver(frameId, data.toString());
                    }
                    frameId = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    // A comment: a keep-alive, or why the relay ended the stream. Nothing to deliver.
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> frameId = parseId(value);
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                            // "event" repeats the JSON's type; "retry" is ours to decide
                        }
                    }
                }
            }
        }
    }

    private void deliver(Long frameId, String data) throws IOException {
        JsonNode json = Json.mapper().readTree(data);
        RelayEvent event = Json.mapper().treeToValue(json, RelayEvent.class);
        long id = frameId != null ? frameId : event.id();
        if (id <= lastEventId) {
            return; // already delivered before a reconnect
        }
        // Advance first: a listener that reads lastEventId() sees the event it is handling.
        lastEventId = id;
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream listener failed on event " + id, e);
        }
    }

    /** Replaces a connection that has been silent longer than the idle timeout. */
    private void watch() {
        long idle = options.idleTimeout().toNanos();
        Duration tick = Duration.ofNanos(Math.max(Duration.ofMillis(20).toNanos(), idle / 4));
        while (!closed) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            if (connected && System.nanoTime() - lastActivity > idle) {
                LOG.log(System.Logger.Level.DEBUG, "stream silent for {0}; reconnecting", options.idleTimeout());
                closeBody();
            }
        }
    }

    void whenClosed(Runnable action) {
        this.onClosed = action;
    }

    private void closeBody() {
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    private void notifyDisconnected(Throwable cause, Duration retryIn) {
        try {
            listener.onDisconnected(cause, retryIn);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream listener failed in onDisconnected", e);
        }
    }

    /** No answer, a server error, a timeout or a rate limit may pass; any other refusal will not. */
    private static boolean retryable(RelayException e) {
        int status = e.status();
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }

    private static Long parseId(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
