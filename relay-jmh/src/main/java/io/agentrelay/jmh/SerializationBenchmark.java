package io.agentrelay.jmh;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.api.DeliveryStatus;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.MessageKind;
import io.agentrelay.api.Severity;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskStatus;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.events.Published;
import java.util.List;
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
        pollute();
        event = new Event(1_000, EventType.MESSAGE_NEW, 1_795_000_000_000L, "host-rig-project-1a2b3c", "1000",
                new Event.Scope("cap:code-review", "host-rig-project-1a2b3c", "ops"),
                Json.mapper().writeValueAsString(message));
    }

    /**
     * The relay renders agents, tasks and messages with one mapper, so the bean serializer's
     * property writers see many record types there. Rendering several types here first gives the
     * JIT the same mixed profile; a benchmark that only ever renders messages would measure a
     * best case the relay never reaches.
     */
    private static void pollute() throws Exception {
        AgentCard agent = new AgentCard("host-rig-project-1a2b3c", "reviewer", AgentKind.PROVIDER, "rig",
                List.of("review"), List.of("code-review"), AgentStatus.ONLINE, true, "rig", "i-1", 3, Map.of("k", 1),
                1L, 2L, 3L);
        Task task = new Task(1, "ci", "cap:ci", null, "build-1", "Build failed", "main is red", Severity.CRITICAL,
                "https://ci.example/1", Map.of("run", 1), TaskStatus.OPEN, null, null, null, null, 5L, 1, 1L, 2L, 3L, null);
        Sample sample = new Sample("a", 1, true, List.of("x"));
        for (int i = 0; i < 20_000; i++) {
            Json.mapper().writeValueAsString(agent);
            Json.mapper().writeValueAsString(task);
            Json.mapper().writeValueAsString(sample);
        }
    }

    /** One more shape for {@link #pollute()}. */
    public record Sample(String name, int count, boolean flag, List<String> items) {
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
