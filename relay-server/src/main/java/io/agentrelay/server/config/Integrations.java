package io.agentrelay.server.config;

import java.util.List;
import java.util.Optional;

/**
 * The integrations and the settings of everything they use: the per-integration rate limit and the
 * callback dispatcher.
 *
 * @param ratePerMinute         events one integration may post per minute (token bucket, refilled
 *                              continuously)
 * @param allowPrivateCallbacks whether callback URLs may point at loopback, private, link-local or
 *                              otherwise internal addresses
 * @param callbackMaxAttempts   attempts per callback before it is given up as {@code failed}
 * @param callbackTimeout       how long one callback attempt may take in all: connecting, sending,
 *                              the answer's headers and its body
 */
public record Integrations(List<Integration> all, int ratePerMinute, boolean allowPrivateCallbacks,
                           int callbackMaxAttempts, java.time.Duration callbackTimeout) {

    public Integrations {
        all = List.copyOf(all);
    }

    public Optional<Integration> named(String name) {
        return all.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
