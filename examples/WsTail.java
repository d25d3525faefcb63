// A complete WebSocket client for the relay's /ws hub, runnable as a single file with JDK 21+:
//
//   ./agent-relay java examples/WsTail.java [relayUrl] [afterEventId] [agentId]
//   ./agent-relay java examples/WsTail.java http://127.0.0.1:4850 0 alice
//
// It sends hello (resuming after afterEventId, subscribed to one agent's events if agentId is
// given), prints hello_ok and every event frame, remembers the last event id, and on any
// disconnect reconnects with exponential backoff, resuming from that id: nothing is missed.
// Token: AGENT_RELAY_TOKEN, sent as a Bearer header.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class WsTail {
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:4850";
        long after = args.length > 1 ? Long.parseLong(args[1]) : -1;
        String agent = args.length > 2 ? args[2] : null;
        String token = System.getenv("AGENT_RELAY_TOKEN");
        HttpClient http = HttpClient.newHttpClient();
        long backoffMs = 250;
        while (true) {
            CompletableFuture<String> closed = new CompletableFuture<>();
            long[] last = {after};
            try {
                WebSocket.Builder builder = http.newWebSocketBuilder();
                if (token != null) {
                    builder.header("Authorization", "Bearer " + token);
                }
                WebSocket ws = builder.buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean lastPart) {
                                text.append(data);
                                if (lastPart) {
                                    String frame = text.toString();
                                    text.setLength(0);
                                    System.out.println(frame);
                                    Matcher id = EVENT_ID.matcher(frame);
                                    if (id.find()) {
                                        last[0] = Long.parseLong(id.group(1));
                                    }
                                }
                                socket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                                closed.complete(code + " " + reason);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket socket, Throwable error) {
                                closed.complete("error " + error);
                            }
                        }).join();
                String hello = "{\"type\":\"hello\""
                        + (last[0] >= 0 ? ",\"after_event_id\":" + last[0] : "")
                        + (agent != null ? ",\"subscriptions\":{\"agents\":[\"" + agent + "\"]}" : "")
                        + "}";
                ws.sendText(hello, true).join();
                backoffMs = 250;
                System.err.println("closed: " + closed.join());
            } catch (Exception e) {
                System.err.println("connect failed: " + e.getMessage());
            }
            after = last[0];
            Thread.sleep(backoffMs + (long) (Math.random() * backoffMs)); // backoff with jitter
            backoffMs = Math.min(backoffMs * 2, 30_000);
        }
    }
}
