package io.agentrelay.cli.orchestrator;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A provider (an agent harness such as {@code claude} or {@code codex}) as the administrator
 * installed it on this host: the program and fixed arguments that start it, whether a spawn's
 * prompt is passed as its last argument, and which extra arguments a spawn request may add. A
 * relay client chooses a provider by name and can never change what runs.
 *
 * @param name        the name spawn requests use ({@code claude}, {@code codex})
 * @param command     the program (a path or a name on the orchestrator's PATH) and its fixed arguments
 * @param promptAsArgument whether a request's prompt is appended as the last argument (else refused)
 * @param allowedArgs the extra arguments a request may give: an entry matches an argument equal to
 *                    it, or, when the entry ends with {@code =}, every argument that starts with it
 *                    ({@code --model=} allows {@code --model=opus}); none by default
 */
public record InstalledProvider(String name, List<String> command, boolean promptAsArgument, List<String> allowedArgs) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public InstalledProvider {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a provider name is lower-case letters, digits and '-', starting with a letter: " + name);
        }
        command = List.copyOf(command);
        allowedArgs = List.copyOf(allowedArgs);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("provider " + name + " needs a command");
        }
        if (command.get(0).contains("=")) {
            // env(1), which starts every agent, would take it for a variable to set.
            throw new IllegalArgumentException("provider " + name + "'s program name must not contain '=': " + command.get(0));
        }
    }

    /** The provider run as {@code program}, the prompt as its last argument, no extra arguments allowed. */
    public static InstalledProvider of(String name, String program) {
        return new InstalledProvider(name, List.of(program), true, List.of());
    }

    /** Whether a spawn request may add {@code argument}. */
    public boolean allows(String argument) {
        for (String allowed : allowedArgs) {
            if (allowed.endsWith("=") ? argument.startsWith(allowed) : argument.equals(allowed)) {
                return true;
            }
        }
        return false;
    }
}
