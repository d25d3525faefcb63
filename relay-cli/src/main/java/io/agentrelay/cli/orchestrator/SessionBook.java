package io.agentrelay.cli.orchestrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sessions this orchestrator started, kept in its state folder (one JSON file per session), so
 * that an orchestrator that restarts adopts the agents still running in its tmux server instead of
 * forgetting them, and can restart one with the request that started it.
 */
final class SessionBook {
    /** One session: what the relay is told, and the request that started it (for a restart). */
    record Entry(Spawner.Managed managed, SpawnParams params) {
    }

    private static final ObjectMapper JSON = Json.mapper();

    private final Path folder;

    SessionBook(Path folder) {
        this.folder = folder;
    }

    void put(Entry entry) {
        Path file = file(entry.managed().tmuxSession());
        try {
            Files.createDirectories(folder);
            Path part = folder.resolve(file.getFileName() + ".part");
            JSON.writeValue(part.toFile(), entry);
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record session " + entry.managed().tmuxSession(), e);
        }
    }

    Optional<Entry> get(String session) {
        Path file = file(session);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
            // A damaged record is a session we cannot restart, not a reason to stop supervising.
            return Optional.empty();
        }
    }

    void remove(String session) {
        try {
            Files.deleteIfExists(file(session));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                get(name.substring(0, name.length() - ".json".length())).ifPresent(entries::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort((a, b) -> Long.compare(a.managed().startedAt(), b.managed().startedAt()));
        return entries;
    }

    private Path file(String session) {
        Tmux.requireName(session);
        return folder.resolve(session + ".json");
    }
}
