package io.agentrelay.cli.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Print the dashboard's address with the token in its fragment",
                "(#token=...), and open it in the desktop's browser where there is one.",
                "The page keeps the token in the browser's local storage and removes it",
                "from the address bar; a fragment never reaches a server or its logs."})
public final class OpenCommand implements Callable<Integer> {
    @Mixin
    ClientOptions relay;

    @Option(names = "--no-browser", description = "Only print the address, even where a desktop exists.")
    boolean noBrowser;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String address = address(relay.url(), relay.token());
        spec.commandLine().getOut().println(address);
        spec.commandLine().getOut().flush();
        if (!noBrowser) {
            List<String> opener = opener(relay.env(), System.getProperty("os.name", ""));
            if (opener != null) {
                try {
                    new ProcessBuilder(concat(opener, address)).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                } catch (IOException e) {
                    spec.commandLine().getErr().println("agent-relay: could not start a browser (" + e.getMessage()
                            + "); open the address above");
                }
            }
        }
        return ExitCodes.OK;
    }

    /** The page's address: the relay URL's root, plus {@code #token=} when there is a token. */
    static String address(String url, String token) {
        String root = url.endsWith("/") ? url : url + "/";
        if (token == null || token.isBlank()) {
            return root;
        }
        return root + "#token=" + URLEncoder.encode(token.trim(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The command that opens a URL on this desktop, or null where there is none (a server, SSH). */
    static List<String> opener(Map<String, String> env, String os) {
        String name = os.toLowerCase(Locale.ROOT);
        if (name.contains("mac")) {
            return List.of("open");
        }
        if (name.contains("win")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler");
        }
        boolean desktop = notBlank(env.get("DISPLAY")) || notBlank(env.get("WAYLAND_DISPLAY"));
        if (!desktop) {
            return null;
        }
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator, -1)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "xdg-open"))) {
                return List.of(Path.of(dir, "xdg-open").toString());
            }
        }
        return null;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static List<String> concat(List<String> command, String argument) {
        List<String> all = new java.util.ArrayList<>(command);
        all.add(argument);
        return all;
    }
}
