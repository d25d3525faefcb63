package io.agentrelay.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay process the bench starts and inspects. */
@Tag("process")
class ChildRelayTest {
    @TempDir
    Path dir;

    @Test
    void itsThreadDumpCanBeSavedForAStallThatCannotBeReproduced() throws Exception {
        try (ChildRelay relay = ChildRelay.start(Map.of("AGENT_RELAY_DB", dir.resolve("relay.db").toString(),
                "PORT", "0"), "serve")) {
            relay.awaitUrl();
            Path dump = dir.resolve("out/relay-threads.txt");

            assertThat(relay.dumpThreads(dump)).isTrue();
            assertThat(Files.readString(dump)).contains("\"relay-writer\"").contains("vert.x-eventloop-thread");
        }
    }
}
