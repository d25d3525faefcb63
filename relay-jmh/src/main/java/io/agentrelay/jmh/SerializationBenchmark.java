package io.agentrelay.jmh;

import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.server.events.Event;
import io.agentrelay.server.events.EventType;
import io.agentrelay.server.events.Published;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Event serialization: what a send pays once (the message to JSON for the log) and what each
 * published event pays once for all its subscribers (the SSE and WebSocket frames).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerializationBenchmark {
    private Message message;
    private Event event;

    @Setup
    public void setUp() throws Exception {
        message = new Message(42, "host-rig-project-1a2b3c", "cap:code-review", MessageKind.CHAT, "Review PR #42",
                "Please review the change to the claim path; it touches the writer and the SSE sink.", null, 42, true,
                null, null, null, "pr-42-review", Map.of("priority", "high"), Map.of("pr", 42), "ops", null,
                DeliveryStatus.DELIVERED, null, 1_795_000_000_000L, null);
        event = new Event(1_000, EventType.MESSAGE_NEW, 1_795_000_000_000L,
                new Event.Scope("cap:code-review", "host-rig-project-1a2b3c", "ops"),
                Json.mapper().writeValueAsString(message));
    }

    @Benchmark
    public String messageToJson() throws Exception {
        return Json.mapper().writeValueAsString(message);
    }

    @Benchmark
    public byte[] sseFrame() {
        return new Published(event).sse();
    }

    @Benchmark
    public String webSocketFrame() {
        return new Published(event).ws();
    }
}
