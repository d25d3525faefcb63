package io.agentrelay.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a shared PostgreSQL database is ({@code AGENT_RELAY_DATABASE_URL}), as a JDBC URL plus
 * credentials. Accepts the form most tools print, {@code postgresql://user:secret@host:5432/relay}
 * (or {@code postgres://}), whose user and password pgjdbc would not read from the URL, and a
 * {@code jdbc:postgresql://} URL passed through as it is.
 *
 * @param user     null when the URL does not name one (then pgjdbc's defaults or URL parameters apply)
 * @param password null when none was given
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String raw) {
        String value = raw.trim();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, null, null);
        }
        if (!value.startsWith("postgresql://") && !value.startsWith("postgres://")) {
            throw new RelayConfig.Invalid(Setting.DATABASE_URL.env() + " must be a PostgreSQL URL "
                    + "(postgresql://user:password@host:5432/database or jdbc:postgresql://...), got '" + redact(value) + "'");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new RelayConfig.Invalid(Setting.DATABASE_URL.env() + " is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new RelayConfig.Invalid(Setting.DATABASE_URL.env()
                    + " must name a host and a database, as in postgresql://relay@db.internal:5432/relay");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]"
                : uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new DatabaseUrl(jdbc, user, password);
    }

    /** The URL for messages and logs: never the password. */
    public String redacted() {
        return redact(jdbcUrl) + (user == null ? "" : " (user " + user + ")");
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return redacted();
    }
}
