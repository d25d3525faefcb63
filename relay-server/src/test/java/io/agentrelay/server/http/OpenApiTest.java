package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/openapi.json}, and the three lists of routes kept in step: the routes the relay
 * registers, {@code api/endpoints.tsv} (each route's authentication and summary) and the endpoint
 * table of docs/api.md. A route added without its line, or a line left for a route removed, fails
 * here.
 */
class OpenApiTest {
    @TempDir
    Path dir;
    TestRelay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private JsonNode document() {
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_TOKEN", "openapi-token-0123456789"));
        // Open, like /api/health: it describes the API and holds no data.
        Http.Response response = relay.http().get("/api/openapi.json");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** "GET /api/agents/{id}" for every operation of the document. */
    private static List<String> operations(JsonNode document) {
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }
        return operations;
    }

    private static String openApiPath(String path) {
        return path.replaceAll(":([A-Za-z][A-Za-z0-9]*)", "{$1}").replace("*", "{file}");
    }

    @Test
    void everyRegisteredRouteHasItsLineAndEveryLineItsRoute() {
        JsonNode document = document();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (operation.getValue().get("summary").asText().isEmpty()) {
                    missing.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertThat(missing).as("registered routes without a line in api/endpoints.tsv").isEmpty();
        List<String> lines = OpenApiDocument.lines().values().stream()
                .map(line -> line.method() + " " + openApiPath(line.path())).toList();
        assertThat(operations(document)).as("the registered routes, against api/endpoints.tsv")
                .containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void theEndpointTableOfTheApiReferenceIsTheSameList() throws IOException {
        List<String> table = new ArrayList<>();
        boolean inSummary = false;
        for (String row : Files.readAllLines(Path.of("..", "docs", "api.md"))) {
            if (row.startsWith("## ")) {
                inSummary = row.equals("## Endpoint summary");
            } else if (inSummary && row.matches("\\| [A-Z]+ \\|.*")) {
                String[] cells = row.substring(1, row.length() - 1).split("\\|", 4);
                table.add(cells[0].strip() + "\t" + cells[1].strip().replace("`", "") + "\t" + cells[2].strip() + "\t"
                        + cells[3].strip());
            }
        }
        List<String> lines = OpenApiDocument.lines().values().stream()
                .map(line -> line.method() + "\t" + line.path() + "\t" + line.auth() + "\t" + line.summary()).toList();
        assertThat(table).as("docs/api.md's endpoint summary, against api/endpoints.tsv").containsExactlyElementsOf(lines);
    }

    @Test
    void operationsCarryTheirPathParametersAndHowTheyAuthenticate() {
        JsonNode paths = document().get("paths");
        JsonNode oneAgent = paths.get("/api/agents/{id}").get("get");
        assertThat(oneAgent.get("parameters")).singleElement().satisfies(parameter -> {
            assertThat(parameter.get("name").asText()).isEqualTo("id");
            assertThat(parameter.get("in").asText()).isEqualTo("path");
            assertThat(parameter.get("required").asBoolean()).isTrue();
        });
        assertThat(oneAgent.get("security").toString()).isEqualTo("[{\"bearer\":[]},{\"tokenHeader\":[]}]");
        assertThat(oneAgent.get("responses").get("4XX").get("content").get("application/json").get("schema")
                .get("$ref").asText()).isEqualTo("#/components/schemas/Error");
        assertThat(paths.get("/api/health").get("get").get("security")).isEmpty();
        assertThat(paths.get("/api/events/stream").get("get").get("security").toString()).contains("tokenQuery");
        assertThat(paths.get("/api/integrations/events").get("post").get("security").toString())
                .isEqualTo("[{\"integrationToken\":[]}]");
        JsonNode claim = paths.get("/api/messages/{id}/claim").get("post");
        assertThat(claim.get("operationId").asText()).isEqualTo("post_api_messages_id_claim");
        assertThat(claim.get("requestBody").get("content").get("application/json").get("schema").get("type").asText())
                .isEqualTo("object");
        assertThat(claim.get("responses").get("2XX").has("content")).isTrue();
        assertThat(oneAgent.has("requestBody")).isFalse();
        // A stream writes its own response: no JSON body is promised.
        assertThat(paths.get("/api/events/stream").get("get").get("responses").get("2XX").has("content")).isFalse();
        assertThat(paths.get("/metrics").get("get").get("responses").get("2XX").has("content")).isFalse();
    }
}
