package io.agentrelay.server.connectors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors the administrator installed: each {@code <id>.json} in the connectors folder. The
 * folder is listed on every call, so a manifest added, changed or removed counts at once; a file is
 * parsed again only when its modification time or size changed. A bad file is skipped with one WARN
 * per version of it; the others still count. With no folder configured nothing is installed.
 *
 * <p>Blocking (file I/O): call it off the event loops. Thread-safe.
 */
public final class InstalledConnectors {
    private static final Logger LOG = LoggerFactory.getLogger(InstalledConnectors.class);
    /** A manifest larger than this is skipped: it is a description, not a data file. */
    static final long MAX_MANIFEST_BYTES = 256 * 1024;
    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path folder;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** One file as last read: its stamp, and its manifest, or null when it was invalid. */
    private record Cached(long modified, long size, Manifest manifest) {
    }

    /** {@code folder}: null for none. */
    public InstalledConnectors(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** Every valid installed manifest, by id. */
    public Map<String, Manifest> all() {
        Map<String, Manifest> out = new TreeMap<>();
        if (folder == null) {
            return out;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path file : files) {
                String id = idOf(file);
                if (id != null) {
                    seen.add(id);
                    read(id, file).ifPresent(manifest -> out.put(id, manifest));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the connectors folder {}: {}", folder, e.toString());
        }
        // Forget removed files, so one put back with the same stamp is read (and warned about) again.
        cache.keySet().retainAll(seen);
        return out;
    }

    /** The installed manifest of {@code id}, if there is a valid one. */
    public Optional<Manifest> find(String id) {
        if (folder == null || !ConnectorId.isValid(id)) {
            return Optional.empty();
        }
        return read(id, folder.resolve(id + ".json"));
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - ".json".length());
        return ConnectorId.isValid(id) ? id : null;
    }

    private Optional<Manifest> read(String id, Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            cache.remove(id);
            return Optional.empty();
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        long modified = attributes.lastModifiedTime().toMillis();
        Cached cached = cache.get(id);
        if (cached != null && cached.modified() == modified && cached.size() == attributes.size()) {
            return Optional.ofNullable(cached.manifest());
        }
        Manifest manifest = null;
        try {
            if (attributes.size() > MAX_MANIFEST_BYTES) {
                throw new Manifest.Invalid("larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            manifest = Manifest.parse(id, READER.readTree(Files.readAllBytes(file)), modified);
        } catch (Manifest.Invalid e) {
            LOG.warn("connector manifest {} skipped: {}", file, e.getMessage());
        } catch (IOException e) {
            LOG.warn("connector manifest {} skipped: not valid JSON ({})", file, e.getMessage());
        }
        cache.put(id, new Cached(modified, attributes.size(), manifest));
        return Optional.ofNullable(manifest);
    }
}
