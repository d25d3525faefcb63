package io.agentrelay.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentrelay.server.testing.TestRelay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable example in relay-client/examples runs, as its header says, against a real relay. */
@Tag("process")
class ExampleTest {
    @TempDir
    Path dir;

    @Test
    void theTwoAgentsExampleRunsToTheEnd() throws IOException, InterruptedException {
        try (TestRelay relay = TestRelay.start(dir)) {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Path.of("examples", "TwoAgents.java").toString())).redirectErrorStream(true);
            builder.environment().put("AGENT_RELAY_URL", relay.url());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("bob sent #1 to cap:review", "alice received #1: Review PR #42", "alice claimed #1",
                    "bob's inbox: #2 from example-alice: Looks good, approved. (thread #1)", "alice is offline");
        }
    }
}
