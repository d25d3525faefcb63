package io.agentrelay.jmh;

import io.agentrelay.api.AgentCard;
import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.events.StreamFilter;
import io.agentrelay.server.model.Audience;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * "Does this event concern agent A?": run once per live event per stream, so on fan-out it is
 * the innermost loop (a broadcast to 2,000 streams calls it 2,000 times).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatchingBenchmark {
    private Audience audience;
    private StreamFilter agentStream;
    private StreamFilter typedStream;
    private Event toTag;
    private Event toOther;
    private Event broadcast;

    @Setup
    public void setUp() {
        AgentCard agent = new AgentCard("host-rig-project-1a2b3c", "reviewer", AgentKind.PROVIDER, "reviewer",
                List.of("review", "java", "backend", "oncall"), List.of("code-review", "testing", "java"),
                AgentStatus.ONLINE, true, "host", "i-1", 1, Map.of(), 0, 0, 0);
        audience = Audience.of(agent);
        agentStream = StreamFilter.of(Set.of(), audience);
        typedStream = new StreamFilter(Set.of(EventType.MESSAGE_NEW, EventType.MESSAGE_CLAIMED), Set.of("ops"), List.of(audience));
        toTag = new Event(1, EventType.MESSAGE_NEW, 0, "other-agent", "1",
                new Event.Scope("cap:testing", "other-agent", "ops"), "{}");
        toOther = new Event(2, EventType.MESSAGE_NEW, 0, "other-agent", "2",
                new Event.Scope("tag:frontend", "other-agent", null), "{}");
        broadcast = new Event(3, EventType.MESSAGE_NEW, 0, "system", "3",
                new Event.Scope("broadcast", "system", null), "{}");
    }

    @Benchmark
    public boolean audienceMatchesCapability() {
        return audience.concerns(toTag);
    }

    @Benchmark
    public boolean audienceRejectsOtherTag() {
        return audience.concerns(toOther);
    }

    @Benchmark
    public boolean agentStreamFilterBroadcast() {
        return agentStream.test(broadcast);
    }

    @Benchmark
    public boolean typedChannelStreamFilter() {
        return typedStream.test(toTag);
    }
}
