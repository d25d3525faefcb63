package io.agentrelay.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds {@code AGENT_RELAY_INTEGRATIONS} entries for tests, as a user would write them. */
public final class Integrations {
    private final List<Map<String, Object>> entries = new ArrayList<>();

    public static Integrations of() {
        return new Integrations();
    }

    /** An integration with scope tasks:create, allowed to address {@code targets} and {@code channels}. */
    public Integrations add(String name, String token, List<String> targets, List<String> channels) {
        return add(name, token, List.of("tasks:create"), targets, channels, null, null);
    }

    public Integrations add(String name, String token, List<String> scopes, List<String> targets,
                            List<String> channels, String callbackUrl, String secret) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("token", token);
        entry.put("scopes", scopes);
        entry.put("targets", targets);
        entry.put("channels", channels);
        if (callbackUrl != null) {
            entry.put("callbackUrl", callbackUrl);
        }
        if (secret != null) {
            entry.put("secret", secret);
        }
        entries.add(entry);
        return this;
    }

    public String json() {
        return Http.json(entries);
    }

    /** The relay settings: these integrations, callbacks to loopback allowed (test receivers live there). */
    public Map<String, String> env(Map<String, String> more) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_RELAY_INTEGRATIONS", json());
        env.put("AGENT_RELAY_CALLBACK_ALLOW_PRIVATE", "true");
        env.putAll(more);
        return env;
    }

    public Map<String, String> env() {
        return env(Map.of());
    }
}
