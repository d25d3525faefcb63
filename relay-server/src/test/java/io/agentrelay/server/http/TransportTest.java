package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentrelay.server.testing.TestRelay;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportTest {
    @TempDir
    Path dir;

    @Test
    void onLinuxTheEventLoopsRunOnTheNativeEpollTransport() {
        // The relay ships the epoll library for these two; elsewhere it runs on NIO by design.
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && Set.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch")));
        try (TestRelay relay = TestRelay.start(dir)) {
            assertThat(relay.server().nativeTransport())
                    .as("epoll transport in use (its library missing from the class path, or failing to load?)")
                    .isTrue();
        }
    }
}
