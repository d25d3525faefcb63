package io.agentrelay.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch script passes every word as it is, through a real {@code /bin/sh} and {@code env}. */
class LaunchScriptTest {
    /** Words a prompt, label or argument could hold that a shell or tmux would otherwise interpret. */
    private static final List<String> HOSTILE = List.of("plain", "two words", "it's", "'", "''", "\"quoted\"",
            "$HOME", "${PATH}", "$(touch pwned)", "`touch pwned`", "a;touch pwned", "a && b", "a | b", "*", "~",
            "\\", "back\\slash\\", "line one\nline two", "tab\there", "-n", "--", "-", "", " ", "#comment",
            "ünïcödé ✓", "%s\\0", "!", "{a,b}", "a=b");

    @TempDir
    Path dir;

    @Test
    void everyArgumentReachesTheProgramExactlyAndNothingIsRunByTheShell() throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/printf", "%s\\0"));
        argv.addAll(HOSTILE);
        LaunchScript script = new LaunchScript(Map.of(), argv);

        byte[] out = run(script);

        assertThat(split(out)).containsExactlyElementsOf(HOSTILE);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void theProgramGetsExactlyTheGivenEnvironment() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            environment.put("V" + i, HOSTILE.get(i));
        }
        LaunchScript script = new LaunchScript(environment, List.of("/usr/bin/env", "-0"));

        List<String> seen = split(run(script));

        List<String> expected = new ArrayList<>();
        environment.forEach((name, value) -> expected.add(name + "=" + value));
        assertThat(seen).as("nothing of the caller's environment, nothing interpreted").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void theScriptIsTheOwnersAlone() throws Exception {
        Path file = new LaunchScript(Map.of("AGENT_RELAY_TOKEN", "secret"), List.of("/bin/true")).writeTo(dir.resolve("s.sh"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwx------");
    }

    @Test
    void whatNoProcessCanCarryIsRefused() {
        assertThatThrownBy(() -> new LaunchScript(Map.of(), List.of("/bin/echo", "a\0b"))).hasMessageContaining("NUL");
        assertThatThrownBy(() -> new LaunchScript(Map.of("A", "a\0b"), List.of("/bin/true"))).hasMessageContaining("NUL");
        assertThatThrownBy(() -> new LaunchScript(Map.of("A B", "x"), List.of("/bin/true"))).hasMessageContaining("A B");
        assertThatThrownBy(() -> new LaunchScript(Map.of("A=B", "x"), List.of("/bin/true"))).hasMessageContaining("A=B");
        assertThatThrownBy(() -> new LaunchScript(Map.of(), List.of())).hasMessageContaining("program");
    }

    private byte[] run(LaunchScript script) throws IOException, InterruptedException {
        Path file = script.writeTo(dir.resolve("launch.sh"));
        Process process = new ProcessBuilder(file.toString()).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return out;
    }

    private static List<String> split(byte[] nulTerminated) {
        String text = new String(nulTerminated, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\0");
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }
}
