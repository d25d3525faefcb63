package io.agentrelay.api;

import java.util.Locale;

/**
 * Where a message goes. Parsed from its wire form in exactly one place, {@link #parse(String)}.
 *
 * <p>Wire forms: an agent id, {@code tag:x}, {@code cap:x}, {@code label:x}, {@code broadcast},
 * {@code pool:x}, {@code policy:x}. The prefixes are matched case-insensitively and rendered in
 * lower case; the name after the prefix is kept as given.
 *
 * <p>Labels are human names ("backend fixer", as the TypeScript server's README uses them), so a
 * {@code label:} name may contain spaces; it is trimmed, as labels are when an agent sets one, so
 * the two meet exactly. Every other form is one token: no whitespace. No form has control characters.
 */
public sealed interface Target
        permits Target.Agent, Target.Tag, Target.Capability, Target.Label, Target.Broadcast,
                Target.Pool, Target.Policy {

    /** The longest wire form accepted, prefix included. */
    int MAX_LENGTH = 200;

    String wire();

    /** Parses a wire target; throws {@link IllegalArgumentException} with a reason a person can act on. */
    static Target parse(String wire) {
        if (wire == null || wire.isBlank()) {
            throw new IllegalArgumentException("must be a non-empty target");
        }
        if (wire.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
        }
        if (wire.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("must not contain control characters");
        }
        int colon = wire.indexOf(':');
        if (colon > 0 && wire.substring(0, colon).equalsIgnoreCase("label")) {
            return new Label(requireName("label", wire.substring(colon + 1).strip()));
        }
        if (wire.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("must not contain whitespace (only a label: name may have spaces)");
        }
        if (wire.equalsIgnoreCase(Broadcast.WIRE)) {
            return Broadcast.INSTANCE;
        }
        if (colon < 0) {
            return new Agent(wire);
        }
        String prefix = wire.substring(0, colon).toLowerCase(Locale.ROOT);
        String name = wire.substring(colon + 1);
        return switch (prefix) {
            case "tag" -> new Tag(requireName(prefix, name));
            case "cap" -> new Capability(requireName(prefix, name));
            case "pool" -> new Pool(requireName(prefix, name));
            case "policy" -> new Policy(requireName(prefix, name));
            // An id may contain a colon as long as it does not start with a reserved prefix.
            default -> new Agent(wire);
        };
    }

    private static String requireName(String prefix, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + prefix + ":' needs a name after the colon");
        }
        return name;
    }

    record Agent(String id) implements Target {
        @Override public String wire() { return id; }
    }

    record Tag(String name) implements Target {
        @Override public String wire() { return "tag:" + name; }
    }

    record Capability(String name) implements Target {
        @Override public String wire() { return "cap:" + name; }
    }

    record Label(String name) implements Target {
        @Override public String wire() { return "label:" + name; }
    }

    record Pool(String name) implements Target {
        @Override public String wire() { return "pool:" + name; }
    }

    record Policy(String name) implements Target {
        @Override public String wire() { return "policy:" + name; }
    }

    enum Broadcast implements Target {
        INSTANCE;
        static final String WIRE = "broadcast";
        @Override public String wire() { return WIRE; }
    }
}
