package io.agentrelay.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/** SQLite's native library is copied once into the cache, checked, and replaced when damaged. */
class NativeSqliteTest {
    @TempDir
    Path dir;

    @Test
    void theLibraryIsCopiedOnceIntoAnOwnerOnlyFolderNamedByVersionAndChecksum() throws Exception {
        Path root = dir.resolve("agent-relay");
        Path folder = NativeSqlite.cache(root);

        Path library = folder.resolve(LibraryLoaderUtil.getNativeLibName());
        assertThat(library).hasBinaryContent(bundled());
        assertThat(folder.getFileName().toString()).startsWith("sqlite-" + SQLiteJDBCLoader.getVersion() + "-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");

        FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, marked);
        assertThat(NativeSqlite.cache(root)).isEqualTo(folder);
        assertThat(Files.getLastModifiedTime(library)).as("an intact copy is not written again").isEqualTo(marked);
        try (var files = Files.list(folder)) {
            assertThat(files).as("no partial copies left").containsExactly(library);
        }
    }

    @Test
    void aDamagedCopyIsReplaced() throws Exception {
        Path root = dir.resolve("agent-relay");
        Path library = NativeSqlite.cache(root).resolve(LibraryLoaderUtil.getNativeLibName());
        Files.write(library, new byte[] {1, 2, 3});

        NativeSqlite.cache(root);

        assertThat(library).hasBinaryContent(bundled());
    }

    @Test
    void aCacheFolderOthersCanWriteIsRefused() throws Exception {
        Path root = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> NativeSqlite.cache(root)).isInstanceOf(IOException.class)
                .hasMessageContaining("writable by other users");
        try (var files = Files.list(root)) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] bundled() throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            return in.readAllBytes();
        }
    }
}
