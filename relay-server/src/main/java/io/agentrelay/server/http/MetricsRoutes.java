package io.agentrelay.server.http;

import io.agentrelay.server.metrics.RelayMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /metrics}: Prometheus text (OpenMetrics when the scraper asks for it). Behind the token
 * when one is configured, like {@code /api}: a scraper sends it as {@code Authorization: Bearer}.
 */
final class MetricsRoutes implements Routes {
    static final String PATH = "/metrics";

    private final RelayMetrics metrics;

    MetricsRoutes(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void register(Api api) {
        api.raw(HttpMethod.GET, PATH).method(HttpMethod.HEAD).handler(this::scrape);
    }

    private void scrape(RoutingContext context) {
        RelayMetrics.Scrape scrape = metrics.scrape(context.request().getHeader("Accept"));
        context.response().putHeader("Content-Type", scrape.contentType()).putHeader("Cache-Control", "no-store")
                .end(scrape.text());
    }
}
