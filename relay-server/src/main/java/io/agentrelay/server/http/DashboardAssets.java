package io.agentrelay.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The dashboard's files ({@code src/main/resources/dashboard/}), read once from the relay's own jar
 * (or class folder) into memory, each with a gzip copy and an ETag.
 *
 * <p>The assets are served under {@code /assets/<version>/}, where the version is a digest of every
 * file: a new build with any change gets new URLs, so the assets can be cached for a year, while
 * the page itself ({@code index.html}, which names the version) is revalidated on every load.
 * Immutable after {@link #load()}; safe to share across event loops.
 */
final class DashboardAssets {
    static final String ROOT = "dashboard/";
    static final String INDEX = "index.html";
    /** Replaced in {@code index.html} by {@code /assets/<version>}. */
    static final String ASSETS_PLACEHOLDER = "%ASSETS%";

    /** One file: its bytes plain and gzipped, and the strong ETag of the plain bytes. */
    // Built once at start-up and looked up by path, never compared: the arrays' identity equals is harmless.
    @SuppressWarnings("ArrayRecordComponent")
    record Asset(String contentType, byte[] plain, byte[] gzip, String etag) {
        String gzipEtag() {
            return etag.substring(0, etag.length() - 1) + "-gz\"";
        }
    }

    private final Map<String, Asset> assets;
    private final Asset index;
    private final String version;

    private DashboardAssets(Map<String, Asset> assets, Asset index, String version) {
        this.assets = assets;
        this.index = index;
        this.version = version;
    }

    /** Reads every file under {@value #ROOT}. Blocking: call off the event loops. */
    static DashboardAssets load() {
        Map<String, byte[]> files = read();
        byte[] page = files.remove(INDEX);
        if (page == null) {
            throw new IllegalStateException("the dashboard's " + ROOT + INDEX + " is missing from the relay's jar");
        }
        MessageDigest digest = sha256();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update(file.getValue());
        }
        String version = HexFormat.of().formatHex(digest.digest(page)).substring(0, 12);
        Map<String, Asset> assets = new HashMap<>();
        files.forEach((name, bytes) -> assets.put(name, asset(name, bytes)));
        String html = new String(page, StandardCharsets.UTF_8).replace(ASSETS_PLACEHOLDER, "/assets/" + version);
        return new DashboardAssets(Map.copyOf(assets), asset(INDEX, html.getBytes(StandardCharsets.UTF_8)), version);
    }

    String version() {
        return version;
    }

    Asset index() {
        return index;
    }

    /** The asset at {@code path} (relative to the dashboard folder), or null. */
    Asset find(String path) {
        return assets.get(path);
    }

    private static Asset asset(String name, byte[] bytes) {
        return new Asset(contentType(name), bytes, gzip(bytes),
                "\"" + HexFormat.of().formatHex(sha256().digest(bytes)).substring(0, 20) + "\"");
    }

    static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "json" -> "application/json; charset=utf-8";
            case "txt" -> "text/plain; charset=utf-8";
            default -> "application/octet-stream";
        };
    }

    /** The files under the root, by path relative to it, sorted (so the version is stable). */
    private static Map<String, byte[]> read() {
        Path source;
        try {
            source = Path.of(DashboardAssets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the relay's jar", e);
        }
        Map<String, byte[]> files = new TreeMap<>();
        try {
            if (Files.isDirectory(source)) {
                Path root = source.resolve(ROOT);
                if (Files.isDirectory(root)) {
                    try (Stream<Path> walk = Files.walk(root)) {
                        for (Path file : walk.filter(Files::isRegularFile).toList()) {
                            files.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                        }
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(source.toFile())) {
                    for (ZipEntry entry : jar.stream().toList()) {
                        if (!entry.isDirectory() && entry.getName().startsWith(ROOT)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                files.put(entry.getName().substring(ROOT.length()), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard from " + source, e);
        }
        return files;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
