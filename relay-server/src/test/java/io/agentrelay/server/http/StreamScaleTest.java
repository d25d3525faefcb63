package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.TestRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A functional check at scale, not a benchmark: a thousand SSE streams and a thousand WebSocket
 * clients are open at once, and one broadcast reaches every one of them exactly as sent.
 */
@Tag("slow")
class StreamScaleTest {
    private static final int CLIENTS = 1_000;
    private static final String BODY = "to every listener";

    @TempDir
    Path dir;

    @Test
    void oneBroadcastReachesAThousandSseAndAThousandWebSocketClients() throws Exception {
        try (TestRelay relay = TestRelay.start(dir)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<Listener> sse = new ArrayList<>();
            List<Listener> ws = new ArrayList<>();
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Listener listener = new Listener();
                sse.add(listener);
                http.sendAsync(HttpRequest.newBuilder(URI.create(relay.url() + "/api/events/stream")).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(listener.lines()));
                Listener wsListener = new Listener();
                ws.add(wsListener);
                sockets.add(http.newWebSocketBuilder().buildAsync(
                        URI.create(relay.url().replaceFirst("^http", "ws") + "/ws"), wsListener.socket()).join());
            }
            for (WebSocket socket : sockets) {
                socket.sendText("{\"type\":\"hello\"}", true);
            }
            // Every stream has joined the live tail before the broadcast is sent.
            awaitAll(sse, l -> l.ready);
            awaitAll(ws, l -> l.ready);

            assertThat(relay.http().post("/api/system/broadcast", Map.of("body", BODY)).status()).isEqualTo(201);

            awaitAll(sse, l -> l.received);
            awaitAll(ws, l -> l.received);
            assertThat(sse).allSatisfy(l -> assertThat(l.received).isCompletedWithValue(BODY));
            assertThat(ws).allSatisfy(l -> assertThat(l.received).isCompletedWithValue(BODY));
            sockets.forEach(WebSocket::abort);
            sse.forEach(Listener::cancel);
        }
    }

    private static void awaitAll(List<Listener> listeners, java.util.function.Function<Listener, CompletableFuture<?>> what)
            throws Exception {
        CompletableFuture.allOf(listeners.stream().map(what).toArray(CompletableFuture[]::new))
                .get(120, TimeUnit.SECONDS);
    }

    /** Completes {@code ready} when the stream is live and {@code received} with the broadcast's body. */
    private static final class Listener {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final CompletableFuture<String> received = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        void cancel() {
            if (subscription != null) {
                subscription.cancel();
            }
        }

        private void check(String text) {
            if (text.contains("\"name\":\"message.new\"") || text.startsWith("data:")) {
                int at = text.indexOf("\"body\":\"");
                if (at >= 0) {
                    received.complete(text.substring(at + 8, text.indexOf('"', at + 8)));
                }
            }
        }

        Flow.Subscriber<String> lines() {
            return new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription = s;
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(String line) {
                    if (line.equals(": connected")) {
                        ready.complete(null);
                    }
                    check(line);
                }

                @Override
                public void onError(Throwable error) {
                    received.completeExceptionally(error);
                }

                @Override
                public void onComplete() {
                    received.completeExceptionally(new IllegalStateException("stream ended"));
                }
            };
        }

        WebSocket.Listener socket() {
            return new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    String text = data.toString();
                    if (text.contains("\"hello_ok\"")) {
                        ready.complete(null);
                    }
                    check(text);
                    webSocket.request(1);
                    return null;
                }
            };
        }
    }
}
