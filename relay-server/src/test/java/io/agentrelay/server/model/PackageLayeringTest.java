package io.agentrelay.server.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rule, read from the sources: {@code model} depends on nothing of the server, and
 * the store knows the model but nothing of the bus, the streams or the edge.
 */
class PackageLayeringTest {
    private static final Path SERVER = Path.of("src/main/java/io/agentrelay/server");

    @Test
    void theModelImportsNothingOfTheServer() throws IOException {
        assertThat(serverImports("model")).isEmpty();
    }

    @Test
    void theStoreImportsOnlyTheModel() throws IOException {
        assertThat(serverImports("store")).allMatch(line -> line.startsWith("import io.agentrelay.server.model."));
    }

    /** The {@code import io.agentrelay.server...} lines of one package's sources. */
    private static List<String> serverImports(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(SERVER.resolve(pkg))) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(PackageLayeringTest::lines)
                    .filter(line -> line.startsWith("import io.agentrelay.server."))
                    .toList();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
