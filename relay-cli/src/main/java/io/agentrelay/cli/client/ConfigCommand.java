package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.Json;
import io.agentrelay.client.RelayClient;
import io.agentrelay.client.RelayException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-relay config get|set|delete|list|history}: the relay's versioned config store. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Read and write the relay's config store: JSON values by namespace and key, shared by",
                "every agent. Every write, a delete too, gives the key its next version, kept in its history."},
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Delete.class,
                ConfigCommand.ListKeys.class, ConfigCommand.History.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Args.usage(spec, "name what to do: get, set, delete, list or history (see 'agent-relay config --help')");
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {"Print a key's value as JSON (with --json: the whole entry, version included).",
                    "Exit status 4 when the key does not exist."})
    public static final class Get extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        protected int run(RelayClient client) {
            ConfigEntry entry = client.config().get(namespace, key);
            if (out.json()) {
                out.json(entry);
            } else {
                out.line(Output.prettyJson(entry.value()));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Write a key's value, as this agent. The value is JSON: 42, true, '{\"a\":1}',",
                    "'\"text\"' (a string needs its quotes); '-' reads it from standard input.",
                    "Exit status 5 when --if-version does not match (the key's version is printed)."})
    public static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE", description = "The value as JSON; '-' for standard input.")
        String value;

        @Option(names = "--file", paramLabel = "PATH", description = "Read the JSON value from this file instead.")
        Path file;

        @Option(names = "--if-version", paramLabel = "N",
                description = "Write only while the key is at version N (0: only while it does not exist).")
        Long ifVersion;

        @Override
        protected int run(RelayClient client) {
            JsonNode parsed = parse(spec, json());
            ConfigEntry entry;
            try {
                entry = ifVersion == null ? client.config().put(namespace, key, parsed, relay.agentId())
                        : client.config().putIfVersion(namespace, key, parsed, relay.agentId(), ifVersion);
            } catch (RelayException.Conflict refused) {
                return conflict(err(), refused, namespace, key, ifVersion);
            }
            if (out.json()) {
                out.json(entry);
            } else {
                out.line(namespace + ":" + key + " is at version " + entry.version());
            }
            return ExitCodes.OK;
        }

        private String json() {
            if (file != null && value != null) {
                throw Args.usage(spec, "give the value either as VALUE or with --file, not both");
            }
            if (file != null) {
                return Args.fileText(spec, relay.shell(), file.toString());
            }
            if (value == null) {
                throw Args.usage(spec, "give the value: as VALUE (JSON), '-' for standard input, or --file PATH");
            }
            return Args.textOrStdin(spec, relay.shell(), value);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Delete a key, as this agent (its history keeps the deletion).",
                    "Exit status 4 when it does not exist, 5 when --if-version does not match."})
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Option(names = "--if-version", paramLabel = "N", description = "Delete only while the key is at version N.")
        Long ifVersion;

        @Override
        protected int run(RelayClient client) {
            try {
                if (ifVersion == null) {
                    client.config().delete(namespace, key, relay.agentId());
                } else {
                    client.config().deleteIfVersion(namespace, key, relay.agentId(), ifVersion);
                }
            } catch (RelayException.Conflict refused) {
                return conflict(err(), refused, namespace, key, ifVersion);
            }
            if (out.json()) {
                out.json(java.util.Map.of("ok", true));
            } else {
                out.line("deleted " + namespace + ":" + key);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List a namespace's keys with their versions; without NAMESPACE, the namespaces.")
    public static final class ListKeys extends ClientCommand {
        @Parameters(arity = "0..1", paramLabel = "NAMESPACE")
        String namespace;

        @Override
        protected int run(RelayClient client) {
            long now = System.currentTimeMillis();
            if (namespace == null) {
                List<ConfigNamespace> namespaces = client.config().namespaces();
                if (out.json()) {
                    out.json(namespaces);
                } else if (namespaces.isEmpty()) {
                    out.line("no config");
                } else {
                    out.configNamespaces(namespaces, now);
                }
                return ExitCodes.OK;
            }
            List<ConfigEntry> entries = client.config().list(namespace);
            if (out.json()) {
                out.json(entries);
            } else if (entries.isEmpty()) {
                out.line("no keys in " + namespace);
            } else {
                out.configEntries(entries, now);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "A key's versioned writes, newest first, deletions included.")
    public static final class History extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAMESPACE")
        String namespace;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Option(names = "--limit", paramLabel = "N", description = "At most N versions (1-500, default 50).")
        int limit;

        @Override
        protected int run(RelayClient client) {
            List<ConfigRevision> history = client.config().history(namespace, key, limit, 0);
            if (out.json()) {
                out.json(history);
            } else if (history.isEmpty()) {
                out.line("no history for " + namespace + ":" + key);
            } else {
                out.configHistory(history, System.currentTimeMillis());
            }
            return ExitCodes.OK;
        }
    }

    /** A refused compare-and-set: what the key's version is, for the next try. */
    private static int conflict(PrintStream err, RelayException.Conflict refused, String namespace, String key,
                                Long expected) {
        Long current = refused.version();
        if (current == null) {
            throw refused;
        }
        err.println("agent-relay: " + refused.getMessage() + ": " + namespace + ":" + key
                + (current == 0 ? " does not exist" : " is at version " + current) + ", not " + expected);
        return ExitCodes.CONFLICT;
    }

    /** The value as JSON, strictly: one JSON document and nothing after it. */
    private static JsonNode parse(CommandLine.Model.CommandSpec spec, String text) {
        try {
            JsonNode node = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            if (node == null || node.isMissingNode()) {
                throw Args.usage(spec, "the value is empty; give JSON, e.g. 42, true, '\"text\"' or '{\"a\":1}'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Args.usage(spec, "the value is not JSON (" + e.getOriginalMessage()
                    + "); a string needs its quotes: '\"text\"'");
        }
    }
}
