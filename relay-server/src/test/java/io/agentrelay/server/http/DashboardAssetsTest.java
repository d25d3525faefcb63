package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and assets over real HTTP: open without the token, cached, compressed. */
class DashboardAssetsTest {
    private static final String TOKEN = "dash-t0ken";

    @TempDir
    Path dir;
    TestRelay relay;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        relay = TestRelay.start(dir, Map.of("AGENT_RELAY_TOKEN", TOKEN));
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(relay.url() + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String assetBase() throws Exception {
        String page = new String(get("/").body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("src=\"(/assets/[0-9a-f]{12})/app.js\"").matcher(page);
        assertThat(m.find()).as("index.html names the versioned app.js: %s", page).isTrue();
        return m.group(1);
    }

    @Test
    void thePageLoadsWithoutTheTokenButTheApiStillNeedsIt() throws Exception {
        HttpResponse<byte[]> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<title>Agent Relay</title>")
                .doesNotContain("%ASSETS%").doesNotContain(TOKEN);

        Http.Response api = relay.http().get("/api/agents");
        assertThat(api.status()).isEqualTo(401);
        assertThat(relay.http().get("/api/streams").status()).isEqualTo(401);
    }

    @Test
    void assetsAreVersionedCachedForAYearAndRevalidatedByEtag() throws Exception {
        String base = assetBase();
        HttpResponse<byte[]> js = get(base + "/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        String etag = js.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = get(base + "/app.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        HttpResponse<byte[]> page = get("/");
        assertThat(get("/", "If-None-Match", page.headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(304);

        // A module of a view, loaded by a relative import
        assertThat(get(base + "/views/agents.js").statusCode()).isEqualTo(200);
        // A page of another build still gets the file, but not for a year
        HttpResponse<byte[]> stale = get("/assets/000000000000/app.js");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("Cache-Control")).contains("no-cache");
    }

    @Test
    void assetsAreGzippedForBrowsersThatAcceptIt() throws Exception {
        String base = assetBase();
        HttpResponse<byte[]> plain = get(base + "/app.css");
        HttpResponse<byte[]> zipped = get(base + "/app.css", "Accept-Encoding", "gzip, deflate, br");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(zipped.headers().firstValue("Vary")).contains("Accept-Encoding");
        assertThat(zipped.body().length).isLessThan(plain.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }
        assertThat(zipped.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
    }

    @Test
    void unknownAssetsAndPathTricksAre404WithAJsonError() throws Exception {
        String base = assetBase();
        for (String path : new String[] {base + "/nope.js", base + "/../app.js", base + "/%2e%2e/%2e%2e/pom.xml",
                base + "/lib/../../../../etc/passwd", "/assets/x", "/index.html"}) {
            HttpResponse<byte[]> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(path).startsWith("{\"error\":");
        }
    }
}
