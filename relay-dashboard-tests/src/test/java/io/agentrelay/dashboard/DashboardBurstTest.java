package io.agentrelay.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.Http;
import io.agentrelay.server.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The load: 1,000 agents registered and a burst of 200 messages per second. The page must
 * take all of it live, keep its lists virtualised (a screenful of rows in the DOM, not thousands)
 * and stay responsive. Responsiveness is measured in the page, as the worst lateness of a 50 ms
 * timer during the burst, and printed; the assertion on it is deliberately loose (this is a loaded
 * shared machine): it catches a page that freezes, not a slow one.
 */
@Tag("browser")
class DashboardBurstTest {
    static final int AGENTS = 1000;
    static final int MESSAGES = 1000;
    static final int PER_SECOND = 200;

    @TempDir
    static Path dir;
    static Browser browser;
    static TestRelay relay;
    static Http api;

    @BeforeAll
    static void start() {
        browser = Browser.shared();
        relay = Relays.start(dir, null);
        api = Relays.api(relay);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void thousandAgentsAndTwoHundredMessagesASecondKeepThePageLiveAndResponsive() throws Exception {
        browser.open(relay.url() + "/#token=" + Relays.TOKEN);
        browser.findWithText("#connection", "live");
        browser.open(relay.url() + "/#/agents");

        List<CompletableFuture<HttpResponse<String>>> registered = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < AGENTS; i++) {
            registered.add(client.sendAsync(post("/api/agents", Map.of("id", "agent-" + i, "name", "Agent " + i,
                    "tags", List.of("load"))), HttpResponse.BodyHandlers.ofString()));
            if (registered.size() % 50 == 0) {
                CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).join();
            }
        }
        CompletableFuture.allOf(registered.toArray(CompletableFuture[]::new)).join();
        assertThat(registered).allMatch(r -> r.join().statusCode() / 100 == 2);
        browser.findWithText(".toolbar .muted", AGENTS + " of " + AGENTS);
        assertThat(browser.driver().findElements(By.cssSelector("[data-agent]"))).hasSizeLessThan(100);

        browser.open(relay.url() + "/#/messages");
        browser.find(".vlist");
        browser.script("""
                window.lag = { max: 0, total: 0, samples: 0 };
                let expected = performance.now() + 50;
                window.lagTimer = setInterval(() => {
                  const late = Math.max(0, performance.now() - expected);
                  lag.max = Math.max(lag.max, late); lag.total += late; lag.samples += 1;
                  expected = performance.now() + 50;
                }, 50);""");

        // 200 a second: 10 messages every 50 ms, from a scheduler, not waiting for the answers.
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> sends = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = new CompletableFuture<>();
        long started = System.nanoTime();
        clock.scheduleAtFixedRate(() -> {
            for (int i = 0; i < PER_SECOND / 20 && sent.get() < MESSAGES; i++) {
                int n = sent.incrementAndGet();
                sends.add(client.sendAsync(post("/api/messages", Map.of("from", "agent-" + (n % AGENTS),
                        "to", "agent-" + ((n + 1) % AGENTS), "body", "burst message " + n)), HttpResponse.BodyHandlers.ofString()));
            }
            if (sent.get() >= MESSAGES) {
                done.complete(null);
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        done.get(60, TimeUnit.SECONDS);
        clock.shutdownNow();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        long sendingMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(sends).allMatch(r -> r.join().statusCode() == 201);

        long lastId = Relays.ok(api.get("/api/messages?limit=1")).json().get("messages").get(0).get("id").asLong();
        browser.findWithText("[data-message='" + lastId + "']", "burst message ");
        browser.await(d -> browser.script("return window.agentRelay.model.messages.length").equals((long) MESSAGES));
        long visibleMs = (System.nanoTime() - started) / 1_000_000;
        @SuppressWarnings("unchecked")
        Map<String, Object> lag = (Map<String, Object>) browser.script("clearInterval(lagTimer); return lag;");
        long rows = browser.driver().findElements(By.cssSelector("[data-message]")).size();
        double maxLag = ((Number) lag.get("max")).doubleValue();
        double meanLag = ((Number) lag.get("total")).doubleValue() / Math.max(1, ((Number) lag.get("samples")).longValue());
        System.out.printf("dashboard burst: %d agents, %d messages sent in %d ms (%.0f/s); last one on screen after %d ms;"
                        + " page timer lateness max %.0f ms, mean %.1f ms over %s samples; %d message rows in the DOM%n",
                AGENTS, MESSAGES, sendingMs, MESSAGES * 1000.0 / sendingMs, visibleMs, maxLag, meanLag, lag.get("samples"), rows);

        assertThat(rows).as("rows in the DOM (virtualised)").isLessThan(100);
        assertThat(browser.script("return window.agentRelay.model.messages.length")).isEqualTo((long) MESSAGES);
        assertThat(maxLag).as("worst page stall during the burst, ms").isLessThan(2000);
        // The page still answers input at once after the burst.
        browser.find("input[name=agent]").sendKeys("agent-7");
        browser.findWithText(".toolbar .muted", "shown");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    private static HttpRequest post(String path, Map<String, Object> body) {
        return HttpRequest.newBuilder(URI.create(relay.url() + path))
                .header("Authorization", "Bearer " + Relays.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.json(body))).build();
    }
}
