package io.agentrelay.cli.orchestrator;

import org.junit.jupiter.api.Assumptions;

/** Tests that need tmux skip without it, except in CI ({@code CI=true}), where its absence is a failure. */
final class TmuxAvailable {
    private TmuxAvailable() {
    }

    static void require() {
        if (Tmux.available("tmux")) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("tmux is not installed (CI=true: not skipping; .ci/run installs it)");
        }
        Assumptions.abort("tmux is not installed (apt-get install tmux)");
    }
}
