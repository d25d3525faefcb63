package io.agentrelay.cli.client;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command runs in: its environment, standard input, output and error. The process's own
 * when the launcher runs it; another JVM's streams when a test runs commands in its own process
 * (each one a process costs about a second of CPU, so most tests run them in-process, and a few
 * still launch real processes, docs/architecture.md "Tests").
 */
public record Shell(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    public Shell {
        env = Map.copyOf(env);
    }

    /** This process's environment and standard streams. */
    public static Shell system() {
        return new Shell(System.getenv(), System.in, System.out, System.err);
    }
}
