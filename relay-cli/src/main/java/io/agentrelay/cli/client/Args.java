package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.Json;
import io.agentrelay.api.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine;

/** Turns option strings into typed values; a bad one is a usage error (exit 2) naming the option. */
final class Args {
    private Args() {
    }

    /** A closed vocabulary by its wire spelling ({@code --kind task}). */
    static <E extends Enum<E> & Wire> E choice(CommandSpec spec, String option, String raw, Class<E> type) {
        if (raw == null) {
            return null;
        }
        E value = Wire.find(type, raw);
        if (value == null) {
            throw usage(spec, option + " must be one of " + Wire.choices(type) + ", got '" + raw + "'");
        }
        return value;
    }

    /** {@code KEY=VALUE} pairs, plus an optional whole JSON object, merged into one map. */
    static Map<String, Object> object(CommandSpec spec, String option, List<String> pairs, String jsonOption, String json) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (json != null) {
            try {
                JsonNode node = Json.mapper().readTree(json);
                if (node == null || !node.isObject()) {
                    throw usage(spec, jsonOption + " must be a JSON object, got '" + json + "'");
                }
                out.putAll(Json.mapper().convertValue(node, new TypeReference<Map<String, Object>>() { }));
            } catch (JsonProcessingException e) {
                throw usage(spec, jsonOption + " is not valid JSON: " + e.getOriginalMessage());
            }
        }
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw usage(spec, option + " takes KEY=VALUE, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /** Repeated or comma-separated names ({@code --tag a --tag b,c}) as one list. */
    static List<String> names(List<String> raw) {
        List<String> out = new ArrayList<>();
        if (raw != null) {
            for (String value : raw) {
                for (String part : value.split(",", -1)) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /** The text itself, or the shell's standard input when it is {@code -}. */
    static String textOrStdin(CommandSpec spec, Shell shell, String text) {
        if (!"-".equals(text)) {
            return text;
        }
        try {
            InputStream in = shell.in();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw usage(spec, "cannot read the body from standard input: " + e.getMessage());
        }
    }

    /** The text of a {@code --file} option: the file at that path, or standard input for {@code -}. */
    static String fileText(CommandSpec spec, Shell shell, String file) {
        if ("-".equals(file)) {
            return textOrStdin(spec, shell, "-");
        }
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw usage(spec, "cannot read --file " + file + ": " + e.getMessage());
        }
    }

    static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
