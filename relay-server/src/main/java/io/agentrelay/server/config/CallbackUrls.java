package io.agentrelay.server.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * What a callback URL may be. Only {@code http} and {@code https}, with a host, without user info.
 * Unless private targets are allowed, the host must not be loopback, private (RFC 1918, IPv6 ULA),
 * link-local, carrier-grade NAT, unspecified or multicast: a relay that anyone with an integration
 * entry can point at internal services would be a server-side request forgery tool. Literal
 * addresses and {@code localhost} are refused at start-up; host names are resolved and checked
 * again before every attempt.
 */
public final class CallbackUrls {
    private CallbackUrls() {
    }

    /** Parses and checks {@code raw}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static URI parse(String raw, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, got '" + raw + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("must name a host, got '" + raw + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not carry user:password (use the secret for signing instead)");
        }
        if (!allowPrivate && isLiteralOrLocalhost(uri.getHost()) && isPrivate(literal(uri.getHost()))) {
            throw new IllegalArgumentException("points at the internal address " + uri.getHost()
                    + "; set AGENT_RELAY_CALLBACK_ALLOW_PRIVATE=true to allow callbacks to private networks");
        }
        return uri;
    }

    /**
     * Why {@code host} may not be called, or null when it may. Resolves the name; every address it
     * resolves to must be public.
     */
    public static String refusal(String host, boolean allowPrivate) {
        if (allowPrivate) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (isPrivate(address)) {
                    return host + " resolves to the internal address " + address.getHostAddress()
                            + " (AGENT_RELAY_CALLBACK_ALLOW_PRIVATE is off)";
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "cannot resolve " + host;
        }
    }

    /**
     * Loopback, unspecified, link-local, site-local, multicast, IPv6 ULA (fc00::/7) or 100.64.0.0/10 —
     * and an IPv6 address that carries an IPv4 one is judged by that IPv4 address: IPv4-compatible
     * ({@code ::127.0.0.1}), IPv4-mapped, NAT64 ({@code 64:ff9b::/96}; the local-use
     * {@code 64:ff9b:1::/48} is private as a whole), 6to4 ({@code 2002::/16}) and Teredo
     * ({@code 2001::/32}, server and client). Each of those reaches the IPv4 host through the
     * network's translation, so {@code [::127.0.0.1]} is as much loopback as {@code 127.0.0.1}.
     */
    public static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127);
        }
        if (!(address instanceof Inet6Address)) {
            return false;
        }
        if ((bytes[0] & 0xfe) == 0xfc) {
            return true;
        }
        if (startsWith(bytes, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) && ((bytes[10] == 0 && bytes[11] == 0)
                || ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff))) {
            return isPrivate(ipv4(bytes, 12, 0));                      // ::a.b.c.d, ::ffff:a.b.c.d
        }
        if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0)) {
            return isPrivate(ipv4(bytes, 12, 0));                      // NAT64 well-known prefix
        }
        if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            return true;                                               // local-use NAT64 (RFC 8215)
        }
        if (startsWith(bytes, 0x20, 0x02)) {
            return isPrivate(ipv4(bytes, 2, 0));                       // 6to4
        }
        if (startsWith(bytes, 0x20, 0x01, 0x00, 0x00)) {
            return isPrivate(ipv4(bytes, 4, 0)) || isPrivate(ipv4(bytes, 12, 0xff)); // Teredo
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address in {@code bytes[from..from+3]}, each byte XOR {@code mask} (Teredo obfuscates). */
    private static InetAddress ipv4(byte[] bytes, int from, int mask) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = (byte) ((bytes[from + i] & 0xff) ^ mask);
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static boolean isLiteralOrLocalhost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.matches("[0-9.]+") || h.startsWith("[");
    }

    private static InetAddress literal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            // A literal address: getByName parses it without a DNS lookup.
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("has an invalid address " + host);
        }
    }
}
