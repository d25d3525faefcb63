package io.agentrelay.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares presented tokens with the configured one in constant time. Both sides are hashed first,
 * so neither the content nor the length of the secret leaks through timing; only the digest is
 * kept in memory after start-up.
 */
final class TokenCheck {
    private final byte[] expected;

    TokenCheck(String token) {
        this(digest(token));
    }

    private TokenCheck(byte[] expectedDigest) {
        this.expected = expectedDigest;
    }

    /** A check against a SHA-256 digest computed elsewhere (integration tokens are kept only as digests). */
    static TokenCheck ofDigest(byte[] sha256) {
        return new TokenCheck(sha256.clone());
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, digest(presented));
    }

    /** The token of a request: {@code Authorization: Bearer t}, {@code X-Agent-Relay-Token: t}, or null. */
    static String fromHeaders(String authorization, String relayToken) {
        if (relayToken != null && !relayToken.isEmpty()) {
            return relayToken;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
