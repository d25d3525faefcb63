package io.agentrelay.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OpenCommandTest {
    @Test
    void printsTheDashboardAddressWithTheTokenInTheFragmentOnly() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new OpenCommand());
        command.setOut(new PrintWriter(out));
        int exit = command.execute("--url", "http://127.0.0.1:4899", "--token", "s3cret+/ =", "--no-browser");

        assertThat(exit).isZero();
        assertThat(out.toString().trim()).isEqualTo("http://127.0.0.1:4899/#token=s3cret%2B%2F%20%3D");
    }

    @Test
    void withoutATokenTheAddressIsTheRelaysRoot() {
        assertThat(OpenCommand.address("http://127.0.0.1:4850/", null)).isEqualTo("http://127.0.0.1:4850/");
        assertThat(OpenCommand.address("http://relay.example:4850", " ")).isEqualTo("http://relay.example:4850/");
    }

    @Test
    void opensABrowserOnlyWhereADesktopExists(@TempDir Path bin) throws Exception {
        Path xdg = Files.createFile(bin.resolve("xdg-open"));
        xdg.toFile().setExecutable(true);
        assertThat(OpenCommand.opener(Map.of("PATH", bin.toString()), "Linux")).isNull();
        assertThat(OpenCommand.opener(Map.of("PATH", bin.toString(), "DISPLAY", ":0"), "Linux"))
                .containsExactly(xdg.toString());
        assertThat(OpenCommand.opener(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux")).isNull();
        assertThat(OpenCommand.opener(Map.of(), "Mac OS X")).containsExactly("open");
    }
}
