package io.agentrelay.cli.orchestrator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The script tmux runs for one managed agent: {@code exec env -i K=V ... program args...}.
 *
 * <p>Nothing a relay client sent (a prompt, a label, provider arguments) ever reaches a shell or
 * tmux's own command parser as syntax: tmux is given only this script's path, and inside the script
 * every word is one single-quoted POSIX word, in which no character is special except the quote
 * itself (written {@code '\''}). {@code env -i} starts the agent with exactly the environment
 * given, not the orchestrator's (which holds its own secrets).
 *
 * @param environment the agent's whole environment
 * @param argv        the program and its arguments; the program is the administrator's
 */
public record LaunchScript(Map<String, String> environment, List<String> argv) {
    public LaunchScript {
        environment = Map.copyOf(environment);
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a launch script needs a program to run");
        }
        for (String name : environment.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an environment variable name: " + name);
            }
        }
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            refuseNul(entry.getValue(), entry.getKey());
        }
        argv.forEach(word -> refuseNul(word, "an argument"));
    }

    /** The script's text: sorted environment, then the command line, each word quoted. */
    public String text() {
        // "--" right after -i: env's options end there, so no value below is read as one.
        StringBuilder script = new StringBuilder("#!/bin/sh\n# Written by agent-relay orchestrator.\nexec env -i --");
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> script.append(" \\\n  ").append(quote(entry.getKey() + "=" + entry.getValue())));
        script.append(" \\\n ");
        for (String word : argv) {
            script.append(' ').append(quote(word));
        }
        return script.append('\n').toString();
    }

    /** Writes the script, readable and runnable by its owner only (it may carry a token). */
    public Path writeTo(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(file, text(), StandardOpenOption.TRUNCATE_EXISTING);
        return file;
    }

    /** One POSIX shell word that stands for exactly {@code text}. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void refuseNul(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character, which no process argument can carry");
        }
    }
}
