package io.agentrelay.server.pairs;

import io.agentrelay.api.PairStatus;

/**
 * The members' moves on a pair ({@code POST /api/pairs/:id/<action>}), with the status each
 * leads to. Who may make which move from which status is {@link PairService}'s rule, documented
 * in docs/pairs.md.
 */
public enum PairAction {
    ACCEPT("accept", PairStatus.ACTIVE, "Pair accepted", "accepted"),
    REJECT("reject", PairStatus.REJECTED, "Pair rejected", "rejected"),
    END("end", PairStatus.ENDED, "Pair ended", "ended");

    private final String wire;
    private final PairStatus to;
    private final String subject;
    private final String verb;

    PairAction(String wire, PairStatus to, String subject, String verb) {
        this.wire = wire;
        this.to = to;
        this.subject = subject;
        this.verb = verb;
    }

    /** The route's last segment and the {@code payload.pair.action} of the message the move sends. */
    public String wire() {
        return wire;
    }

    PairStatus to() {
        return to;
    }

    String subject() {
        return subject;
    }

    String verb() {
        return verb;
    }
}
