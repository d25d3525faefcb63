package io.agentrelay.cli.mcp;

import java.util.List;
import java.util.Locale;

/**
 * {@code AGENT_RELAY_APPROVAL}, as the TypeScript plugin reads it: {@code open} (default) and
 * {@code guarded} let the tools act — under {@code guarded} the coding agent's own permission
 * prompts are what guard each call — while {@code read-only} refuses every tool that sends,
 * claims or changes a task, with a message saying why. An unknown value is reported and treated as
 * {@code read-only}: a typo must not grant more than was meant.
 */
enum Approval {
    OPEN("open"),
    GUARDED("guarded"),
    READ_ONLY("read-only");

    private final String wire;

    Approval(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    boolean mayAct() {
        return this != READ_ONLY;
    }

    static Approval parse(String raw, List<String> problems) {
        if (raw == null || raw.isBlank()) {
            return OPEN;
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        for (Approval approval : values()) {
            if (approval.wire.equals(value)) {
                return approval;
            }
        }
        problems.add("AGENT_RELAY_APPROVAL must be open, guarded or read-only, got '" + raw.trim()
                + "'; acting as read-only until it is fixed");
        return READ_ONLY;
    }
}
