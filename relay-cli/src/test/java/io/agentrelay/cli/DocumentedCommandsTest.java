package io.agentrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shell commands in the README, docs/ and the integrations' READMEs, checked against what
 * runs: every {@code agent-relay} command they show exists, and none calls {@code java} or
 * {@code mvn} directly, which is JDK 17 on many machines and fails on this project; they go
 * through {@code ./agent-relay java|mvn}, which uses the JDK the launcher finds. (That those two
 * run, and the SDK example as written, is scripts/test-launcher.sh's part.)
 */
class DocumentedCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> LAUNCHER_COMMANDS = Set.of("java", "mvn");

    @Test
    void everyDocumentedCommandExistsAndRunsOnTheLaunchersJdk() throws IOException {
        List<String> commands = documentedCommands();
        assertThat(commands).as("commands found in the docs").hasSizeGreaterThan(20);
        for (String command : commands) {
            List<String> words = words(command);
            if (words.isEmpty()) {
                continue;
            }
            assertThat(words.get(0)).as("'%s' must run through ./agent-relay java|mvn (JDK 21+)", command)
                    .isNotIn("java", "mvn");
            if (words.get(0).endsWith("agent-relay") && words.size() > 1 && !words.get(1).startsWith("-")) {
                assertThat(Main.SUBCOMMANDS.containsKey(words.get(1)) || LAUNCHER_COMMANDS.contains(words.get(1)))
                        .as("'%s': no such agent-relay command '%s'", command, words.get(1)).isTrue();
            }
        }
    }

    /** The command lines of the bash blocks: leading "$ " and VAR=value assignments dropped. */
    private static List<String> documentedCommands() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(files::add);
        }
        try (Stream<Path> integrations = Files.walk(ROOT.resolve("integrations"))) {
            integrations.filter(p -> p.getFileName().toString().equals("README.md")).forEach(files::add);
        }
        List<String> commands = new ArrayList<>();
        for (Path file : files) {
            boolean inBash = false;
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.startsWith("```")) {
                    inBash = !inBash && (trimmed.equals("```bash") || trimmed.equals("```sh") || trimmed.equals("```shell"));
                    continue;
                }
                if (inBash && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    commands.add(trimmed.startsWith("$ ") ? trimmed.substring(2) : trimmed);
                }
            }
        }
        return commands;
    }

    private static List<String> words(String command) {
        List<String> words = new ArrayList<>(List.of(command.split("\\s+")));
        while (!words.isEmpty() && (words.get(0).matches("[A-Z_][A-Z0-9_]*=.*") || words.get(0).equals("export"))) {
            words.remove(0);
        }
        if (!words.isEmpty() && words.get(0).startsWith("(")) {
            words.set(0, words.get(0).substring(1));
        }
        return words;
    }
}
