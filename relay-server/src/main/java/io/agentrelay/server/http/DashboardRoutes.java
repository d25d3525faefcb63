package io.agentrelay.server.http;

import io.vertx.core.http.HttpMethod;
import io.agentrelay.server.errors.RelayError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /} (the dashboard page) and {@code GET /assets/<version>/<file>} (its modules, styles
 * and icon), from the relay's own jar: no CDN, no network. Open without the token: the page holds no
 * data, and asks for the token before it calls {@code /api}. Gzipped when the browser accepts it
 * (the server's own compression stays off for the streams' sake); revalidated by ETag.
 */
final class DashboardRoutes implements Routes {
    /** The page must not be framed, load only its own scripts, and talk only to its own origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** Loads the assets once, on first use, off the event loop; shared by every event loop's router. */
    static final class Loader {
        private final AtomicReference<CompletableFuture<DashboardAssets>> loaded = new AtomicReference<>();

        CompletableFuture<DashboardAssets> get(Vertx vertx) {
            CompletableFuture<DashboardAssets> mine = new CompletableFuture<>();
            CompletableFuture<DashboardAssets> existing = loaded.compareAndExchange(null, mine);
            if (existing != null) {
                return existing;
            }
            vertx.executeBlocking(DashboardAssets::load, false).onComplete(result -> {
                if (result.succeeded()) {
                    mine.complete(result.result());
                } else {
                    mine.completeExceptionally(result.cause());
                }
            });
            return mine;
        }
    }

    private final Loader loader;

    DashboardRoutes(Loader loader) {
        this.loader = loader;
    }

    @Override
    public void register(Api api) {
        api.raw(HttpMethod.GET, "/").handler(this::page);
        api.raw(HttpMethod.GET, "/assets/:version/*").handler(this::asset);
    }

    private void page(RoutingContext context) {
        withAssets(context, assets -> {
            context.response()
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Frame-Options", "DENY");
            send(context, assets.index());
        });
    }

    private void asset(RoutingContext context) {
        withAssets(context, assets -> {
            String path = context.pathParam("*");
            DashboardAssets.Asset asset = path == null ? null : assets.find(path);
            if (asset == null) {
                context.fail(new RelayError.NotFound("no dashboard asset " + context.request().path()));
                return;
            }
            if (!assets.version().equals(context.pathParam("version"))) {
                // A page from an older build: serve today's file, but do not let it be cached as that version.
                context.response().putHeader("Cache-Control", "no-cache");
            } else {
                context.response().putHeader("Cache-Control", "public, max-age=31536000, immutable");
            }
            send(context, asset);
        });
    }

    private void withAssets(RoutingContext context, java.util.function.Consumer<DashboardAssets> then) {
        Future.fromCompletionStage(loader.get(context.vertx()), context.vertx().getOrCreateContext())
                .onFailure(context::fail)
                .onSuccess(then::accept);
    }

    private static void send(RoutingContext context, DashboardAssets.Asset asset) {
        HttpServerResponse response = context.response();
        String accept = context.request().getHeader("Accept-Encoding");
        boolean gzip = accept != null && accept.contains("gzip");
        String etag = gzip ? asset.gzipEtag() : asset.etag();
        response.putHeader("Vary", "Accept-Encoding")
                .putHeader("ETag", etag)
                .putHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = context.request().getHeader("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.contains(asset.etag()) || ifNoneMatch.contains(asset.gzipEtag()))) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader("Content-Type", asset.contentType());
        if (gzip) {
            response.putHeader("Content-Encoding", "gzip").end(Buffer.buffer(asset.gzip()));
        } else {
            response.end(Buffer.buffer(asset.plain()));
        }
    }
}
