package io.agentrelay.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/openapi.json}: the routes of this relay as an OpenAPI 3.1 document
 * ({@link OpenApiDocument}). Open like {@code /api/health}: it describes the API, it holds no data.
 */
final class OpenApiRoutes implements Routes {
    static final String PATH = "/api/openapi.json";

    private volatile ObjectNode document;

    @Override
    public void register(Api api) {
        api.get(PATH, request -> document(api));
    }

    /** Built on first request, once every route is registered; the same for every later one. */
    private CompletionStage<Reply> document(Api api) {
        ObjectNode built = document;
        if (built == null) {
            built = OpenApiDocument.of(api.endpoints());
            document = built;
        }
        return CompletableFuture.completedFuture(Reply.ok(built));
    }
}
