package io.agentrelay.cli.orchestrator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the administrator set up for the orchestrator on this host, from its configuration file
 * (docs/orchestration.md, "The host's file"):
 *
 * <pre>{@code
 * {
 *   "id": "build-host-1",
 *   "baseDir": "/srv/agents",
 *   "envKeys": ["ANTHROPIC_API_KEY"],
 *   "providers": {
 *     "claude": {"command": ["claude"], "promptAsArgument": true, "allowedArgs": ["--model="]},
 *     "codex": {"command": ["/usr/local/bin/codex"]}
 *   }
 * }
 * }</pre>
 *
 * Every key is optional (flags and defaults fill in); an unknown key is an error, so a misspelt
 * setting is not silently ignored.
 */
public record HostConfig(String id, Path baseDir, List<String> envKeys, Map<String, InstalledProvider> providers) {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final List<String> TOP = List.of("id", "baseDir", "envKeys", "providers");
    private static final List<String> PROVIDER = List.of("command", "promptAsArgument", "allowedArgs");

    public HostConfig {
        envKeys = List.copyOf(envKeys);
        providers = Map.copyOf(providers);
    }

    public static HostConfig empty() {
        return new HostConfig(null, null, List.of(), Map.of());
    }

    /** Reads the file; an {@link IllegalArgumentException} names the file and what is wrong in it. */
    public static HostConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(STRICT.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static HostConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the configuration must be a JSON object");
        }
        onlyKnown(root, TOP, "");
        String id = optionalText(root, "id");
        String baseDir = optionalText(root, "baseDir");
        Map<String, InstalledProvider> providers = new LinkedHashMap<>();
        JsonNode providerNodes = root.path("providers");
        if (!providerNodes.isMissingNode()) {
            if (!providerNodes.isObject()) {
                throw new IllegalArgumentException("providers must be an object of provider name to its settings");
            }
            for (Map.Entry<String, JsonNode> entry : providerNodes.properties()) {
                providers.put(entry.getKey(), provider(entry.getKey(), entry.getValue()));
            }
        }
        return new HostConfig(id, baseDir == null ? null : Path.of(baseDir), texts(root, "envKeys", ""), providers);
    }

    private static InstalledProvider provider(String name, JsonNode node) {
        String where = "providers." + name + ".";
        if (!node.isObject()) {
            throw new IllegalArgumentException("providers." + name + " must be an object");
        }
        onlyKnown(node, PROVIDER, where);
        List<String> command = texts(node, "command", where);
        if (command.isEmpty()) {
            throw new IllegalArgumentException(where + "command is required: the program and its fixed arguments");
        }
        JsonNode prompt = node.path("promptAsArgument");
        if (!prompt.isMissingNode() && !prompt.isBoolean()) {
            throw new IllegalArgumentException(where + "promptAsArgument must be true or false");
        }
        return new InstalledProvider(name, command, prompt.isMissingNode() || prompt.booleanValue(), texts(node, "allowedArgs", where));
    }

    private static void onlyKnown(JsonNode node, List<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown setting " + where + name + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (value.isMissingNode()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(where + field + " must be a list of strings");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(where + field + " must be a list of strings");
            }
            texts.add(item.asText());
        }
        return texts;
    }
}
