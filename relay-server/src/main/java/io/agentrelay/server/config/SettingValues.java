package io.agentrelay.server.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The raw values of the settings (the environment with the flags over it) read as the type each
 * {@link Setting} declares. A value outside its type or bounds is refused with a message that
 * names the variable and the allowed values; nothing is clamped or replaced.
 */
final class SettingValues {
    private final Map<String, String> raw;

    /** {@code overrides} (flags, keyed by variable) win over {@code env}; a null override is no override. */
    SettingValues(Map<String, String> env, Map<String, String> overrides) {
        raw = new LinkedHashMap<>(env);
        overrides.forEach((name, value) -> {
            if (value != null) {
                raw.put(name, value);
            }
        });
    }

    /** The trimmed value, or the setting's fallback (empty when it has none). */
    String text(Setting setting) {
        String value = raw.get(setting.env());
        return value == null ? setting.fallback() : value.trim();
    }

    long number(Setting setting) {
        Setting.Type type = setting.type();
        if (type.kind() != Setting.Type.Kind.NUMBER && type.kind() != Setting.Type.Kind.BYTES
                && type.kind() != Setting.Type.Kind.MILLIS) {
            throw new IllegalArgumentException(setting + " is not a number");
        }
        String value = text(setting);
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RelayConfig.Invalid(setting.env() + " must be a whole number between " + type.min() + " and "
                    + type.max() + ", got '" + value + "'");
        }
        if (parsed < type.min() || parsed > type.max()) {
            throw new RelayConfig.Invalid(setting.env() + " must be between " + type.min() + " and " + type.max()
                    + ", got " + parsed);
        }
        return parsed;
    }

    /** A number whose bounds fit an int (all but the byte budgets beyond 2 GiB). */
    int integer(Setting setting) {
        if (setting.type().max() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(setting + " can exceed an int");
        }
        return (int) number(setting);
    }

    Duration millis(Setting setting) {
        if (setting.type().kind() != Setting.Type.Kind.MILLIS) {
            throw new IllegalArgumentException(setting + " is not a duration");
        }
        return Duration.ofMillis(number(setting));
    }

    boolean bool(Setting setting) {
        if (setting.type().kind() != Setting.Type.Kind.BOOLEAN) {
            throw new IllegalArgumentException(setting + " is not a boolean");
        }
        String value = text(setting).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new RelayConfig.Invalid(setting.env() + " must be true or false, got '" + value + "'");
        };
    }
}
