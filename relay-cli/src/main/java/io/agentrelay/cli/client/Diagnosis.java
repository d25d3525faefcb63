package io.agentrelay.cli.client;

import io.agentrelay.client.RelayException;

/**
 * What to tell a person when the relay cannot be used: which relay was tried and which variable
 * to set. Shared by the client commands and the MCP server, so both name {@code AGENT_RELAY_TOKEN}
 * and {@code AGENT_RELAY_URL} the same way instead of talking about HTTP headers.
 */
public final class Diagnosis {
    private Diagnosis() {
    }

    /** The message for {@code error}, from a client of the relay at {@code url}. */
    public static String explain(RelayException error, String url, boolean tokenSet) {
        return switch (error) {
            case RelayException.Unauthorized ignored -> tokenSet
                    ? "the relay at " + url + " refused the token in AGENT_RELAY_TOKEN (401): it is not this relay's "
                            + "token. Set AGENT_RELAY_TOKEN to the token the relay was started with."
                    : "the relay at " + url + " needs a token (401) and none was given: set AGENT_RELAY_TOKEN to the "
                            + "token the relay was started with.";
            case RelayException.Unavailable ignored -> error.getMessage() + ". Is it running ('agent-relay serve')? "
                    + "If it runs elsewhere, set AGENT_RELAY_URL (now " + url + ").";
            default -> error.getMessage();
        };
    }
}
