package io.agentrelay.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Target;
import io.agentrelay.api.Wire;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code AGENT_RELAY_INTEGRATIONS}: a JSON array, or (when the value does not start with
 * {@code [}) the path of a file holding one. Every problem stops start-up with a message naming the
 * entry and the field; unknown fields are errors too, because a misspelt {@code callbackUrl} would
 * otherwise silently disable callbacks.
 */
final class IntegrationsParser {
    static final String VARIABLE = "AGENT_RELAY_INTEGRATIONS";
    static final int MAX_NAME = 64;
    static final int MAX_CHANNEL = 120;
    private static final Set<String> FIELDS = Set.of("name", "token", "scopes", "targets", "channels",
            "callbackUrl", "secret");

    private IntegrationsParser() {
    }

    static List<Integration> parse(String raw, String globalToken, boolean allowPrivate) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        String text = raw.trim();
        String source = VARIABLE;
        if (!text.startsWith("[")) {
            Path file = Path.of(text);
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new RelayConfig.Invalid(VARIABLE + " must be a JSON array of integrations or the path of a file "
                        + "holding one; cannot read '" + file + "': " + e.getMessage());
            }
            source = VARIABLE + " (file " + file + ")";
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new RelayConfig.Invalid(source + " is not valid JSON" + where);
        }
        if (root == null || !root.isArray()) {
            throw new RelayConfig.Invalid(source + " must be a JSON array of {name, token, scopes, targets, ...}");
        }
        List<Integration> integrations = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<byte[]> digests = new ArrayList<>();
        byte[] global = globalToken == null ? null : Integration.digest(globalToken);
        for (int i = 0; i < root.size(); i++) {
            Integration integration = entry(source + "[" + i + "]", root.get(i), allowPrivate);
            String where = source + "[" + i + "] (" + integration.name() + ")";
            if (!names.add(integration.name())) {
                throw new RelayConfig.Invalid(where + ": the name is used by another integration");
            }
            for (byte[] other : digests) {
                if (MessageDigest.isEqual(other, integration.tokenDigest())) {
                    throw new RelayConfig.Invalid(where + ": the token is used by another integration; "
                            + "each integration needs its own");
                }
            }
            if (global != null && MessageDigest.isEqual(global, integration.tokenDigest())) {
                throw new RelayConfig.Invalid(where + ": the token equals AGENT_RELAY_TOKEN; "
                        + "an integration needs a token of its own");
            }
            digests.add(integration.tokenDigest());
            integrations.add(integration);
        }
        return integrations;
    }

    private static Integration entry(String where, JsonNode node, boolean allowPrivate) {
        if (!node.isObject()) {
            throw new RelayConfig.Invalid(where + " must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new RelayConfig.Invalid(where + " has an unknown field '" + field + "'; known: "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
        }
        String name = requiredString(where, node, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME - 1) + "}")) {
            throw new RelayConfig.Invalid(where + ".name must be 1-" + MAX_NAME + " letters, digits, '.', '_' or '-' "
                    + "(starting with a letter or digit), got '" + name + "'");
        }
        String at = where + " (" + name + ")";
        String token = requiredString(at, node, "token");
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new RelayConfig.Invalid(at + ".token must not contain whitespace");
        }
        Set<IntegrationScope> scopes = EnumSet.noneOf(IntegrationScope.class);
        for (String scope : strings(at, node, "scopes", true)) {
            IntegrationScope parsed = Wire.find(IntegrationScope.class, scope);
            if (parsed == null) {
                throw new RelayConfig.Invalid(at + ".scopes has the unknown scope '" + scope + "'; known: "
                        + Wire.choices(IntegrationScope.class));
            }
            scopes.add(parsed);
        }
        List<String> targets = new ArrayList<>();
        for (String target : strings(at, node, "targets", true)) {
            targets.add(target(at, target));
        }
        if (targets.isEmpty()) {
            throw new RelayConfig.Invalid(at + ".targets must list at least one target the integration may address");
        }
        List<String> channels = strings(at, node, "channels", false);
        for (String channel : channels) {
            if (channel.isBlank() || channel.length() > MAX_CHANNEL
                    || channel.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                throw new RelayConfig.Invalid(at + ".channels entries must be 1-" + MAX_CHANNEL
                        + " characters without whitespace, got '" + channel + "'");
            }
        }
        URI callback = null;
        String rawCallback = optionalString(at, node, "callbackUrl");
        if (rawCallback != null) {
            try {
                callback = CallbackUrls.parse(rawCallback, allowPrivate);
            } catch (IllegalArgumentException e) {
                throw new RelayConfig.Invalid(at + ".callbackUrl " + e.getMessage());
            }
        }
        String secret = optionalString(at, node, "secret");
        if (secret != null && secret.isEmpty()) {
            throw new RelayConfig.Invalid(at + ".secret must not be empty (leave it out for unsigned callbacks)");
        }
        return new Integration(name, Integration.digest(token), scopes, targets, List.copyOf(new LinkedHashSet<>(channels)),
                callback, secret);
    }

    private static String target(String at, String raw) {
        Target target;
        try {
            target = Target.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new RelayConfig.Invalid(at + ".targets entry '" + raw + "' " + e.getMessage());
        }
        if (target instanceof Target.Pool || target instanceof Target.Policy) {
            throw new RelayConfig.Invalid(at + ".targets entry '" + raw + "': pool: and policy: targets are not "
                    + "supported by this relay yet");
        }
        return target.wire();
    }

    private static String requiredString(String at, JsonNode node, String field) {
        String value = optionalString(at, node, field);
        if (value == null || value.isBlank()) {
            throw new RelayConfig.Invalid(at + "." + field + " is required");
        }
        return value;
    }

    private static String optionalString(String at, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RelayConfig.Invalid(at + "." + field + " must be a string");
        }
        return value.textValue();
    }

    private static List<String> strings(String at, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new RelayConfig.Invalid(at + "." + field + " is required (a JSON array of strings"
                        + (field.equals("scopes") ? ", e.g. [\"tasks:create\"]" : "") + ")");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw new RelayConfig.Invalid(at + "." + field + " must be a JSON array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new RelayConfig.Invalid(at + "." + field + " must contain only strings");
            }
            out.add(item.textValue());
        }
        return out;
    }
}
