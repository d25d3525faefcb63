package io.agentrelay.server.orchestrators;

import io.agentrelay.api.Provider;
import io.agentrelay.api.Wire;
import io.agentrelay.server.errors.RelayError;
import java.util.ArrayList;
import java.util.List;

/** Provider names as requests spell them, with the TypeScript server's error text for others. */
public final class Providers {
    /** What an orchestrator registered without {@code providers} offers. */
    public static final List<Provider> ALL = List.of(Provider.CLAUDE, Provider.CODEX);

    private Providers() {
    }

    /** One provider; null stays null (the caller decides whether it is required). */
    public static Provider one(String field, String raw) {
        if (raw == null) {
            return null;
        }
        Provider provider = Wire.find(Provider.class, raw);
        if (provider == null) {
            throw RelayError.InvalidInput.worded(field, "invalid provider: " + raw + ". Must be one of: claude, codex");
        }
        return provider;
    }

    /** A list of providers, duplicates dropped; null (absent) is every provider. */
    public static List<Provider> list(String field, List<String> raw) {
        if (raw == null) {
            return ALL;
        }
        List<Provider> out = new ArrayList<>();
        for (String name : raw) {
            Provider provider = one(field, name);
            if (!out.contains(provider)) {
                out.add(provider);
            }
        }
        return out;
    }
}
