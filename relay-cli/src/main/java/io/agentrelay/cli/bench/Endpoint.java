package io.agentrelay.cli.bench;

import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The relay under test: its base URL and, for a relay that requires one, its token. Every client
 * of the bench (the load generator, the stream listeners, the set-up and check requests) takes the
 * host, port, TLS and credentials from here.
 */
record Endpoint(String url, String token) {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    Endpoint {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("--url must start with http:// or https://, got " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--url has no host: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--url must not carry credentials; give the token in AGENT_RELAY_TOKEN");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("--url is the relay's root (scheme, host, port), without a path: " + url);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        token = token == null || token.isEmpty() ? null : token;
    }

    /** A relay on loopback that needs no token (the one the bench starts itself). */
    static Endpoint local(String url) {
        return new Endpoint(url, null);
    }

    String host() {
        return URI.create(url).getHost();
    }

    boolean ssl() {
        return "https".equals(URI.create(url).getScheme());
    }

    int port() {
        int port = URI.create(url).getPort();
        return port != -1 ? port : ssl() ? 443 : 80;
    }

    /** Where the bench's Vert.x clients send their requests, resolved once (they send many). */
    record Address(String host, int port, String token) {
        /** {@code options} aimed at {@code uri} on the relay, with the token, if any, as a bearer credential. */
        <T extends RequestOptions> T to(T options, String uri) {
            options.setHost(host).setPort(port).setURI(uri);
            if (token != null) {
                options.putHeader("Authorization", "Bearer " + token);
            }
            return options;
        }
    }

    Address address() {
        return new Address(host(), port(), token);
    }

    /** A request to {@code pathAndQuery} with the token, if any, as a bearer credential. */
    HttpRequest.Builder request(String pathAndQuery) {
        // Bounded, like every step of the bench: a relay that accepts but never answers fails it.
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + pathAndQuery)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    @Override
    public String toString() {
        return url; // never the token: this ends up in reports and progress lines
    }
}
