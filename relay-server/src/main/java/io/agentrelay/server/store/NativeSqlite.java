package io.agentrelay.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where SQLite's native library is loaded from. The JDBC driver copies it out of its jar into the
 * temp folder at every start, under a new name each time, and deletes the copy only on a normal
 * exit: every {@code kill -9} or crash of the relay left a 1 MB library and its lock file behind
 * (150 of them were found on a development machine). Instead the library is copied once into a
 * per-user cache folder, named by the driver's version and the library's checksum, and the driver
 * is told to load it from there.
 *
 * <p>The cache folder is {@code $XDG_CACHE_HOME/agent-relay}, else {@code ~/.cache/agent-relay};
 * it is created readable and writable by its owner only, and a folder that others can write is not
 * used (a library loaded from it would run inside the relay). When the cache cannot be used, or
 * {@code org.sqlite.lib.path} is set already, the driver's own behaviour stays.
 */
final class NativeSqlite {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSqlite.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;

    private NativeSqlite() {
    }

    /** Points the driver at the cached library, once per JVM; before the first connection. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        Path root = cacheRoot();
        if (root == null) {
            return;
        }
        try {
            Path folder = cache(root);
            if (folder != null) {
                System.setProperty("org.sqlite.lib.path", folder.toString());
                System.setProperty("org.sqlite.lib.name", LibraryLoaderUtil.getNativeLibName());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite's native library is not cached in {}; the driver extracts its own copy", root, e);
        }
    }

    /**
     * Copies the driver's library for this platform into {@code root} unless an identical copy is
     * there; returns the folder that holds it, or null when this platform has no bundled library.
     */
    static Path cache(Path root) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (resource == null) {
            return null;
        }
        ownerOnlyFolder(root);
        Identity bundled = identity(resource);
        Path folder = root.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + Long.toHexString(bundled.crc()));
        ownerOnlyFolder(folder);
        Path library = folder.resolve(name);
        if (Files.isRegularFile(library) && Files.size(library) == bundled.size()) {
            return folder;
        }
        Path partial = Files.createTempFile(folder, name, ".partial");
        try {
            try (InputStream in = resource.openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return folder;
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "agent-relay");
        }
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() || home.equals("?") ? null : Path.of(home, ".cache", "agent-relay");
    }

    /** Creates the folder for its owner only, or checks that an existing one is not writable by others. */
    private static void ownerOnlyFolder(Path folder) throws IOException {
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(folder)) {
            try {
                if (posix) {
                    Files.createDirectories(folder.getParent());
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createDirectories(folder);
                }
            } catch (FileAlreadyExistsException raced) {
                // another relay created it at the same moment: checked below like any existing folder
            }
        }
        if (posix) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(folder);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException(folder + " is writable by other users");
            }
        }
    }

    /** The bundled library's CRC-32 and size. */
    private record Identity(long crc, long size) {
    }

    /** From the jar's index when the library is in a jar (nothing inflated), else by reading it once. */
    private static Identity identity(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar && jar.getJarEntry().getCrc() != -1 && jar.getJarEntry().getSize() != -1) {
            return new Identity(jar.getJarEntry().getCrc(), jar.getJarEntry().getSize());
        }
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = connection.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
                crc.update(buffer, 0, read);
                size += read;
            }
        }
        return new Identity(crc.getValue(), size);
    }
}
