package io.agentrelay.server.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * One external system allowed to raise tasks ({@code AGENT_RELAY_INTEGRATIONS}). Only the SHA-256
 * digest of its token is kept, so the token itself is never in memory after start-up and cannot be
 * echoed. {@code secret} is the HMAC key for signing callbacks and must be kept as is.
 *
 * @param targets  wire targets (canonical form) the integration may address
 * @param channels channels it may name; an event without a channel is always allowed
 */
// The digest array is copied in and out and never compared through equals (integrations are held
// in lists and matched by MessageDigest.isEqual), so the record's identity-based equals on it is harmless.
@SuppressWarnings("ArrayRecordComponent")
public record Integration(String name, byte[] tokenDigest, Set<IntegrationScope> scopes, List<String> targets,
                          List<String> channels, URI callbackUrl, String secret) {

    public Integration {
        tokenDigest = tokenDigest.clone();
        scopes = Set.copyOf(scopes);
        targets = List.copyOf(targets);
        channels = List.copyOf(channels);
    }

    @Override
    public byte[] tokenDigest() {
        return tokenDigest.clone();
    }

    public boolean allows(IntegrationScope scope) {
        return scopes.contains(scope);
    }

    /** The digest tokens are compared by: SHA-256 of the UTF-8 bytes. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Never shows the token digest or the secret: configurations end up in logs. */
    @Override
    public String toString() {
        return "Integration[name=" + name + ", scopes=" + scopes + ", targets=" + targets + ", channels=" + channels
                + ", callbackUrl=" + callbackUrl + ", secret=" + (secret == null ? "none" : "***") + "]";
    }
}
