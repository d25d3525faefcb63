package io.agentrelay.server.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.api.Wire;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An installed connector's manifest, as its administrator wrote it in {@code <id>.json}: the programs
 * its actions run ({@code argv}, no shell) and the environment they get. Parsed strictly: an unknown
 * key or a value of the wrong kind makes the whole file invalid ({@link Invalid}), never half-read.
 */
public record Manifest(String id, String name, String description, String version, String channelType,
                       Map<ActionName, Action> actions, Map<String, String> env, long modifiedAt) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    public static final int MAX_TIMEOUT_SECONDS = 300;
    private static final Set<String> KEYS = Set.of("id", "name", "description", "version", "channelType", "actions",
            "env");
    private static final Set<String> ACTION_KEYS = Set.of("argv", "timeoutSeconds");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Manifest {
        actions = Map.copyOf(actions);
        env = Map.copyOf(env);
    }

    /** One action: the program and its arguments, and how long it may run. */
    public record Action(List<String> argv, int timeoutSeconds) {
        public Action {
            argv = List.copyOf(argv);
        }
    }

    /** Why a manifest file was skipped. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The actions' names in the order of {@link ActionName}. */
    public List<String> actionNames() {
        return new EnumMap<>(actions).keySet().stream().map(ActionName::wire).toList();
    }

    /** Reads the manifest of {@code fileId} ({@code <fileId>.json}) from its parsed JSON. */
    static Manifest parse(String fileId, JsonNode root, long modifiedAt) throws Invalid {
        if (!(root instanceof ObjectNode object)) {
            throw new Invalid("not a JSON object");
        }
        unknownKeys("", object, KEYS);
        String id = text(object, "id", true);
        if (!fileId.equals(id)) {
            throw new Invalid("id '" + id + "' is not the file's name '" + fileId + "'");
        }
        Map<ActionName, Action> actions = new EnumMap<>(ActionName.class);
        JsonNode actionsNode = object.get("actions");
        if (!(actionsNode instanceof ObjectNode actionObject)) {
            throw new Invalid("actions must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : actionObject.properties()) {
            ActionName name = Wire.find(ActionName.class, entry.getKey());
            if (name == null) {
                throw new Invalid("actions." + entry.getKey() + " is not one of " + Wire.choices(ActionName.class));
            }
            actions.put(name, action("actions." + entry.getKey(), entry.getValue()));
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = object.get("env");
        if (envNode != null) {
            if (!(envNode instanceof ObjectNode envObject)) {
                throw new Invalid("env must be an object");
            }
            for (Map.Entry<String, JsonNode> entry : envObject.properties()) {
                if (!ENV_NAME.matcher(entry.getKey()).matches() || !entry.getValue().isTextual()) {
                    throw new Invalid("env." + entry.getKey() + " must be a variable name with a string value");
                }
                env.put(entry.getKey(), entry.getValue().textValue());
            }
        }
        String name = text(object, "name", true);
        return new Manifest(id, name, text(object, "description", false), text(object, "version", false),
                text(object, "channelType", false), actions, env, modifiedAt);
    }

    private static Action action(String at, JsonNode node) throws Invalid {
        if (!(node instanceof ObjectNode object)) {
            throw new Invalid(at + " must be an object");
        }
        unknownKeys(at + ".", object, ACTION_KEYS);
        JsonNode argvNode = object.get("argv");
        if (argvNode == null || !argvNode.isArray() || argvNode.isEmpty()) {
            throw new Invalid(at + ".argv must be a non-empty array of strings");
        }
        List<String> argv = new java.util.ArrayList<>();
        for (JsonNode arg : argvNode) {
            if (!arg.isTextual() || arg.textValue().indexOf('\0') >= 0) {
                throw new Invalid(at + ".argv must be a non-empty array of strings");
            }
            argv.add(arg.textValue());
        }
        if (argv.get(0).isEmpty()) {
            throw new Invalid(at + ".argv[0] must name a program");
        }
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        JsonNode timeoutNode = object.get("timeoutSeconds");
        if (timeoutNode != null) {
            if (!timeoutNode.isIntegralNumber() || timeoutNode.asLong() < 1 || timeoutNode.asLong() > MAX_TIMEOUT_SECONDS) {
                throw new Invalid(at + ".timeoutSeconds must be a whole number from 1 to " + MAX_TIMEOUT_SECONDS);
            }
            timeout = timeoutNode.intValue();
        }
        return new Action(argv, timeout);
    }

    private static void unknownKeys(String at, ObjectNode object, Set<String> known) throws Invalid {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw new Invalid("unknown key " + at + key);
            }
        }
    }

    private static String text(ObjectNode object, String field, boolean required) throws Invalid {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new Invalid(field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || (required && node.textValue().isBlank())) {
            throw new Invalid(field + " must be a " + (required ? "non-empty " : "") + "string");
        }
        return node.textValue();
    }
}
