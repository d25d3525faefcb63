package io.agentrelay.api;

import java.util.List;

/**
 * A connector as the relay shows it: installed (its manifest is a file the relay's administrator
 * put in {@code AGENT_RELAY_CONNECTORS_DIR}) or registered through the API (a description only),
 * or both. Never carries a program, its arguments or its environment values.
 *
 * @param actions    the actions its installed manifest defines; empty when it is not installed
 * @param lastAction the last action run on this relay's store, or null
 * @param createdAt  when it was first registered or written to (an installed-only connector: its
 *                   manifest file's modification time)
 */
public record Connector(String id, String name, String description, String version, String channelType,
                        boolean installed, List<String> actions, LastAction lastAction, long createdAt,
                        long updatedAt) {

    public Connector {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** The outcome of a connector's last action: {@code exitCode} is null when it did not exit by itself. */
    public record LastAction(String action, boolean ok, Integer exitCode, long at, long durationMs) {
    }
}
