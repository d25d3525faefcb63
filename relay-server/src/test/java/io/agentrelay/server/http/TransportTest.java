package io.agentrelay.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentrelay.server.testing.TestRelay;
import io.netty.util.Version;
import java.nio.file.Path;
import java.util.Map;
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
                    .as("epoll transport in use; unavailable because: %s", relay.server().nativeTransportUnavailable())
                    .isTrue();
        }
    }

    @Test
    void theNativeTransportIsTheSameNettyReleaseAsTheRestOfNetty() {
        // netty.version in the root pom must follow the Netty that Vert.x brings; a mismatch loads
        // classes of two releases side by side.
        Map<String, Version> netty = Version.identify();
        assertThat(netty).containsKey("netty-transport-native-epoll");
        assertThat(netty.values().stream().map(Version::artifactVersion).distinct())
                .as("Netty artifacts and their versions: %s", netty)
                .hasSize(1);
    }
}
