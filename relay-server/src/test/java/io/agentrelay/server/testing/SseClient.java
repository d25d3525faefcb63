package io.agentrelay.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real SSE client: opens the stream over HTTP and parses frames on a background thread into a
 * queue the test awaits. Comment lines (heartbeats) are queued as frames with {@code comment} set.
 */
public final class SseClient implements AutoCloseable {
    /** One frame: id, event name, data (parsed), or a comment line. */
    public record Frame(Long id, String event, JsonNode data, String comment) {
        public boolean isComment() {
            return comment != null;
        }
    }

    /** Marks the end of the stream in the queue. */
    public static final Frame END = new Frame(null, null, null, "<end>");

    /** Whether {@code frame} is {@link #END}: that very instance, not a comment frame equal to it. */
    @SuppressWarnings("ReferenceEquality")
    public static boolean isEnd(Frame frame) {
        return frame == END;
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final int status;
    private final InputStream body;
    private final Thread reader;

    private SseClient(int status, InputStream body) {
        this.status = status;
        this.body = body;
        this.reader = Thread.ofPlatform().daemon(true).name("sse-test-reader").start(this::read);
    }

    /** Opens {@code base + path} with the given request headers; returns once the response headers arrived. */
    public static SseClient open(String base, String path, Map<String, String> headers) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new SseClient(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return status;
    }

    /** The next frame that is not a comment, waiting at most {@code timeout}; null on timeout. */
    public Frame nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame == null || isEnd(frame) || !frame.isComment()) {
                return frame;
            }
        }
    }

    /** The next frame of any kind (comments included), waiting at most {@code timeout}; null on timeout. */
    public Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Collects events until {@code count} arrived or {@code timeout} passed. */
    public List<Frame> events(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Frame> out = new ArrayList<>();
        while (out.size() < count) {
            Frame frame = nextEvent(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame == null || isEnd(frame)) {
                break;
            }
            out.add(frame);
        }
        return out;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Long id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        frames.add(new Frame(id, event, data == null ? null : parse(data.toString()), null));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    frames.add(new Frame(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5).stripLeading();
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (IOException ignored) {
            // the stream was cut: END below tells the test
        } finally {
            frames.add(END);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SSE data is not JSON: " + text, e);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing a cut stream
        }
        reader.interrupt();
    }
}
