package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.type.TypeReference;
import io.agentrelay.api.Connector;
import io.agentrelay.api.ConnectorActionResult;
import io.agentrelay.api.Json;
import io.agentrelay.client.RelayClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay connectors list|get|register|action|config get|config set}. */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = {"Connectors: bridge programs on the relay's host. The relay's administrator installs what",
                "runs (AGENT_RELAY_CONNECTORS_DIR); here you list them, register descriptions, run installed",
                "actions and keep their config."},
        subcommands = {ConnectorsCommand.ListConnectors.class, ConnectorsCommand.Get.class,
                ConnectorsCommand.Register.class, ConnectorsCommand.Action.class, ConnectorsCommand.ConfigGroup.class})
public final class ConnectorsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: list, get, register, action or config (see 'agent-relay connectors --help')");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List installed and registered connectors.")
    public static final class ListConnectors extends ClientCommand {
        @Override
        protected int run(RelayClient client) {
            List<Connector> connectors = client.connectors().list();
            if (out.json()) {
                out.json(connectors);
            } else if (connectors.isEmpty()) {
                out.line("no connectors");
            } else {
                out.connectors(connectors);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print one connector as JSON. Exit status 4 when it is neither installed nor registered."})
    public static final class Get extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run(RelayClient client) {
            Connector connector = client.connectors().get(id);
            if (out.json()) {
                out.json(connector);
            } else {
                out.line(Output.prettyJson(Json.mapper().valueToTree(connector)));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register (or update) a connector's description. It cannot say what runs: only the",
                    "relay's administrator installs programs."})
    public static final class Register extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--name", paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--version", paramLabel = "VERSION")
        String version;

        @Option(names = "--channel-type", paramLabel = "TYPE")
        String channelType;

        @Override
        protected int run(RelayClient client) {
            Connector connector = client.connectors().register(id, name, description, version, channelType);
            if (out.json()) {
                out.json(connector);
            } else {
                out.line("registered connector " + connector.id() + (connector.installed() ? " (installed)" : ""));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "action", mixinStandardHelpOptions = true,
            description = {"Run one of an installed connector's actions (install, uninstall, enable, disable, start,",
                    "stop, restart, status, doctor) and print its output. Exit status 1 when it failed."})
    public static final class Action extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "ACTION")
        String action;

        @Override
        protected int run(RelayClient client) {
            ConnectorActionResult result = client.connectors().action(id, action);
            if (out.json()) {
                out.json(result);
            } else {
                relay.shell().out().print(result.output());
                relay.shell().out().flush();
                if (!result.ok()) {
                    err().println("agent-relay: " + id + " " + action + " failed: " + result.error());
                }
            }
            return result.ok() ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "Read (secrets masked) or replace a connector's config.",
            subcommands = {ConfigGet.class, ConfigSet.class})
    public static final class ConfigGroup implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw Args.usage(spec, "name what to do: get or set");
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print a connector's config as JSON, with secret-looking values shown as \"********\".")
    public static final class ConfigGet extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int run(RelayClient client) {
            JsonNode config = client.connectors().config(id);
            if (out.json()) {
                out.json(config);
            } else {
                out.line(Output.prettyJson(config));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Replace a connector's config with a JSON object: '{\"room\":\"ops\"}', '-' for standard",
                    "input, or --file. Prefer '-' or --file for secrets: arguments show in the process list."})
    public static final class ConfigSet extends ClientCommand {
        private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", arity = "0..1", paramLabel = "JSON")
        String value;

        @Option(names = "--file", paramLabel = "PATH", description = "Read the JSON object from this file instead.")
        Path file;

        @Override
        protected int run(RelayClient client) {
            JsonNode masked = client.connectors().putConfig(id, object(text()));
            if (out.json()) {
                out.json(masked);
            } else {
                out.line("config of " + id + " written");
            }
            return ExitCodes.OK;
        }

        private String text() {
            if (file != null && value != null) {
                throw Args.usage(spec, "give the config either as JSON or with --file, not both");
            }
            if (file != null) {
                return Args.fileText(spec, relay.shell(), file.toString());
            }
            if (value == null) {
                throw Args.usage(spec, "give the config: as JSON, '-' for standard input, or --file PATH");
            }
            return Args.textOrStdin(spec, relay.shell(), value);
        }

        private Map<String, Object> object(String text) {
            try {
                JsonNode node = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
                if (node == null || !node.isObject()) {
                    throw Args.usage(spec, "the config must be a JSON object, e.g. '{\"room\":\"ops\"}'");
                }
                return Json.mapper().convertValue(node, OBJECT);
            } catch (JsonProcessingException e) {
                throw Args.usage(spec, "the config is not JSON (" + e.getOriginalMessage() + ")");
            }
        }
    }
}
