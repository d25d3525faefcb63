package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.server.system.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document of {@code /api/openapi.json}, built from the routes the relay has
 * registered (so it cannot list a route the relay lacks, nor miss one) and each route's line in
 * {@code api/endpoints.tsv}: its authentication and one-line summary, the same lines as the endpoint
 * table of docs/api.md (a test keeps the three in step). It gives every route, its path parameters,
 * how it authenticates and the error body; the request and response bodies are described in
 * docs/api.md, not here (docs/api.md, "OpenAPI document").
 */
final class OpenApiDocument {
    static final String ENDPOINTS = "/api/endpoints.tsv";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern PARAMETER = Pattern.compile(":([A-Za-z][A-Za-z0-9]*)");
    private static final java.util.Set<String> BODIES = java.util.Set.of("POST", "PUT", "PATCH");

    /** One line of {@code api/endpoints.tsv}. */
    record Line(String method, String path, String auth, String summary) {
        String key() {
            return method + " " + path;
        }
    }

    private OpenApiDocument() {
    }

    /** The lines of {@code api/endpoints.tsv}, in order, keyed by method and path. */
    static Map<String, Line> lines() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(ENDPOINTS)) {
            if (in == null) {
                throw new IllegalStateException(ENDPOINTS + " is missing from the build");
            }
            Map<String, Line> lines = new LinkedHashMap<>();
            for (String text : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (text.isBlank() || text.startsWith("#")) {
                    continue;
                }
                String[] cells = text.split("\t", 4);
                if (cells.length != 4) {
                    throw new IllegalStateException(ENDPOINTS + ": not four tab-separated cells: " + text);
                }
                Line line = new Line(cells[0], cells[1], cells[2], cells[3]);
                lines.put(line.key(), line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ENDPOINTS, e);
        }
    }

    /** The document for {@code endpoints}, the routes as registered ({@code :name} parameters). */
    static ObjectNode of(List<Api.Endpoint> endpoints) {
        Map<String, Line> lines = lines();
        ObjectNode root = JSON.objectNode();
        root.put("openapi", "3.1.0");
        ObjectNode info = root.putObject("info");
        info.put("title", "Agent Relay");
        info.put("version", Stats.VERSION);
        info.put("description", "The durable message bus between AI coding agents. Every route with its parameters,"
                + " authentication (needed when the relay has a token) and error body; request and response bodies are"
                + " described in the project's docs/api.md.");
        // Relative: the relay that serves this document serves the API.
        root.putArray("servers").addObject().put("url", "/").put("description", "this relay");
        ObjectNode components = root.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "AGENT_RELAY_TOKEN, when the relay has one");
        schemes.putObject("tokenHeader").put("type", "apiKey").put("in", "header").put("name", "X-Agent-Relay-Token");
        schemes.putObject("tokenQuery").put("type", "apiKey").put("in", "query").put("name", "token")
                .put("description", "streams only: browsers cannot set headers on EventSource and WebSocket");
        schemes.putObject("integrationToken").put("type", "http").put("scheme", "bearer")
                .put("description", "an integration's own token (AGENT_RELAY_INTEGRATIONS)");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("error");
        ObjectNode properties = error.putObject("properties");
        properties.putObject("error").put("type", "string").put("description", "what went wrong, naming the field");
        properties.putObject("field").put("type", "string").put("description", "the field at fault, when one is");
        properties.putObject("code").put("type", "string");
        ObjectNode paths = root.putObject("paths");
        for (Api.Endpoint endpoint : endpoints) {
            Line line = lines.get(endpoint.method() + " " + endpoint.path());
            ObjectNode operation = paths.withObjectProperty(openApiPath(endpoint.path()))
                    .putObject(endpoint.method().toLowerCase(Locale.ROOT));
            operation.put("operationId", operationId(endpoint));
            operation.put("summary", line == null ? "" : line.summary());
            parameters(operation, endpoint.path());
            security(operation, line == null ? "token" : line.auth());
            if (endpoint.json() && BODIES.contains(endpoint.method())) {
                // A JSON object; an empty body counts as {} (docs/api.md, "Conventions").
                ObjectNode body = operation.putObject("requestBody");
                body.put("required", false);
                body.putObject("content").putObject("application/json").putObject("schema").put("type", "object");
            }
            ObjectNode responses = operation.putObject("responses");
            ObjectNode success = responses.putObject("2XX");
            success.put("description", "success: see docs/api.md for the body");
            if (endpoint.json()) {
                success.putObject("content").putObject("application/json").putObject("schema");
            }
            error(responses.putObject("4XX"), "the request was refused: the error names the field at fault");
            error(responses.putObject("5XX"), "the relay could not serve it (503 with Retry-After while the store cannot"
                    + " write)");
        }
        return root;
    }

    private static void error(ObjectNode response, String description) {
        response.put("description", description);
        response.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", "#/components/schemas/Error");
    }

    private static String openApiPath(String path) {
        return PARAMETER.matcher(path).replaceAll("{$1}").replace("*", "{file}");
    }

    private static String operationId(Api.Endpoint endpoint) {
        String words = endpoint.path().replace(":", "").replace("*", "file").replaceAll("[^A-Za-z0-9]+", "_");
        return endpoint.method().toLowerCase(Locale.ROOT) + words.replaceAll("_+$", "");
    }

    private static void parameters(ObjectNode operation, String path) {
        ArrayNode parameters = JSON.arrayNode();
        Matcher named = PARAMETER.matcher(path);
        while (named.find()) {
            parameters.add(pathParameter(named.group(1)));
        }
        if (path.endsWith("*")) {
            parameters.add(pathParameter("file"));
        }
        if (!parameters.isEmpty()) {
            operation.set("parameters", parameters);
        }
    }

    private static ObjectNode pathParameter(String name) {
        ObjectNode parameter = JSON.objectNode();
        parameter.put("name", name).put("in", "path").put("required", true);
        parameter.putObject("schema").put("type", "string");
        return parameter;
    }

    /** OpenAPI security from the table's auth cell: open, token, token with {@code ?token=}, integration token. */
    private static void security(ObjectNode operation, String auth) {
        ArrayNode security = operation.putArray("security");
        if (auth.startsWith("open")) {
            return;
        }
        if (auth.startsWith("integration")) {
            security.addObject().putArray("integrationToken");
            return;
        }
        security.addObject().putArray("bearer");
        security.addObject().putArray("tokenHeader");
        if (auth.contains("?token=")) {
            security.addObject().putArray("tokenQuery");
        }
    }
}
