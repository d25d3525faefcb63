package io.agentrelay.server.orchestrators;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * POSIX paths as strings: the orchestrator's folder rule is decided on the text of the paths alone,
 * the way the TypeScript server's {@code path.resolve} and {@code path.relative} do, and never by
 * looking at the relay's own file system (the folders are on the orchestrator's host).
 */
public final class PosixPath {
    private PosixPath() {
    }

    public static boolean absolute(String path) {
        return path.startsWith("/");
    }

    /**
     * An absolute path with {@code .}, {@code ..} and repeated or trailing slashes resolved:
     * {@code /srv/a/../b/} is {@code /srv/b}. A {@code ..} at the root stays at the root, as in POSIX.
     */
    public static String normalize(String absolute) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : absolute.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * Whether normalised {@code path} is {@code base} or below it. Component-wise, so that
     * {@code /base-other} is not inside {@code /base}.
     */
    public static boolean within(String base, String path) {
        return path.equals(base) || base.equals("/") || path.startsWith(base + "/");
    }
}
