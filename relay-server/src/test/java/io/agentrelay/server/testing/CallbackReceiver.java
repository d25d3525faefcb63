package io.agentrelay.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real HTTP receiver for callbacks: the JDK's HTTP server on an ephemeral loopback port. Records
 * every request before answering it, and answers with the scripted statuses first, then 200.
 */
public final class CallbackReceiver implements AutoCloseable {
    /** One request as received: lower-cased header names, the exact body bytes. */
    // Tests read the body's bytes; no test compares two Received values, so identity equals on the array is harmless.
    @SuppressWarnings("ArrayRecordComponent")
    public record Received(Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    private final List<Received> all = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();

    private CallbackReceiver(HttpServer server) {
        this.server = server;
    }

    public static CallbackReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            CallbackReceiver receiver = new CallbackReceiver(server);
            server.createContext("/", receiver::handle);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next requests are answered with these statuses, in order; later ones with 200. */
    public void answer(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/relay";
    }

    /** The next request not yet taken, waiting up to {@code timeout}; fails the test if none comes. */
    public Received next(Duration timeout) throws InterruptedException {
        Received received = arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (received == null) {
            throw new AssertionError("no callback arrived within " + timeout);
        }
        return received;
    }

    /** Every request received so far, in arrival order. */
    public List<Received> all() {
        return List.copyOf(all);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT),
                        e -> String.join(",", e.getValue()), (a, b) -> a));
        Received received = new Received(headers, body);
        all.add(received);
        arrivals.add(received);
        Integer scripted = script.poll();
        exchange.sendResponseHeaders(scripted == null ? 200 : scripted, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Lists the values of one body field across requests, for order checks. */
    public static List<String> field(List<Received> requests, String... path) {
        List<String> values = new ArrayList<>();
        for (Received request : requests) {
            JsonNode node = request.json();
            for (String step : path) {
                node = node.path(step);
            }
            values.add(node.asText());
        }
        return values;
    }
}
