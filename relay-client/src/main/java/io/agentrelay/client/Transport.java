package io.agentrelay.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP and JSON for every resource group: builds requests (auth header, JSON body), turns error
 * answers into {@link RelayException}s and I/O failures into {@link RelayException.Unavailable}.
 * Immutable and thread-safe; {@link HttpClient} is.
 */
final class Transport {
    private static final ObjectMapper JSON = Json.mapper();

    private final HttpClient http;
    private final String base;
    private final String token;
    private final Duration requestTimeout;

    Transport(HttpClient http, URI base, String token, Duration requestTimeout) {
        this.http = http;
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
        this.requestTimeout = requestTimeout;
    }

    /** A successful answer: its status (200, 201, ...) and parsed JSON body (null when empty). */
    record Reply(int status, JsonNode body) {
    }

    String base() {
        return base;
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, body == null ? Map.of() : body);
    }

    Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    Reply patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    <T> T read(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new RelayException(0, "unexpected answer from the relay: " + e.getOriginalMessage(), node, e);
        }
    }

    Reply send(String method, String path, Object body) {
        return send(method, path, body, requestTimeout);
    }

    /** {@link #send} for a call the relay may take long to answer: waits {@code timeout} at least. */
    Reply send(String method, String path, Object body, Duration timeout) {
        Duration wait = timeout.compareTo(requestTimeout) > 0 ? timeout : requestTimeout;
        HttpRequest.Builder request = request(path).timeout(wait);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json(body)));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayException.Unavailable("interrupted while calling the relay at " + base, e);
        }
        JsonNode parsed = parse(response.body());
        if (response.statusCode() >= 400) {
            throw RelayException.of(response.statusCode(), parsed,
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        return new Reply(response.statusCode(), parsed);
    }

    /** Opens a streaming GET (SSE); the caller reads and closes the body. Error answers throw. */
    HttpResponse<InputStream> stream(String path, Map<String, String> headers) throws InterruptedException {
        // The timeout covers the wait for the response headers only; the body may stream forever.
        HttpRequest.Builder request = request(path).timeout(requestTimeout).GET();
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable(e);
        }
        if (response.statusCode() != 200) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            } catch (IOException e) {
                body = new byte[0];
            }
            throw RelayException.of(response.statusCode(), parse(body),
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        return response;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null && !token.isEmpty()) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private RelayException.Unavailable unavailable(IOException e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RelayException.Unavailable("cannot reach the relay at " + base + " (" + reason + ")", e);
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** One path segment, percent-encoded (ids may hold characters with meaning in a URL). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?k=v&...} with the non-null values, percent-encoded. */
    static String query(String path, Map<String, ?> params) {
        StringBuilder out = new StringBuilder(path);
        char separator = '?';
        for (Map.Entry<String, ?> param : params.entrySet()) {
            if (param.getValue() == null) {
                continue;
            }
            out.append(separator).append(param.getKey()).append('=')
                    .append(URLEncoder.encode(param.getValue().toString(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return out.toString();
    }

    /** A JSON object body without the null fields. */
    static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                body.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return body;
    }
}
