package io.agentrelay.server.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentrelay.api.Connector;
import io.agentrelay.api.ConnectorActionResult;
import io.agentrelay.api.Json;
import io.agentrelay.api.Target;
import io.agentrelay.server.errors.Parsed;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.ConnectorRegistration;
import io.agentrelay.server.store.ConnectorRow;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.threads.RelayThreads;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Connectors: the union of those the administrator installed (manifest files, {@link InstalledConnectors})
 * and those registered through the API (descriptions in the store). Only an installed manifest's
 * actions ever run: nothing a request sends names a program, an argument or an environment value.
 *
 * <p>An action runs on a connector thread, never an event loop; at most one per connector at once
 * on this node (a second is a 409) and at most {@value #MAX_CONCURRENT_ACTIONS} in all (more: 503).
 * Its outcome is the connector's {@code lastAction}, written with its {@code connector.action} event
 * in one transaction.
 */
public final class ConnectorService {
    public static final int MAX_CONCURRENT_ACTIONS = 4;
    public static final String MASK = "********";
    static final String ADMIN_ONLY = "actions can only be installed by an administrator (AGENT_RELAY_CONNECTORS_DIR)";
    /** Keys whose values {@code GET .../config} hides. */
    private static final Pattern SECRET_KEY = Pattern.compile("token|secret|password|passwd|apikey|api_key|key$",
            Pattern.CASE_INSENSITIVE);
    /** Fields a posted manifest may not carry: they would say what runs. */
    private static final List<String> PROGRAM_FIELDS = List.of("actions", "env", "argv", "command");
    private static final Event.Scope EVERYONE = new Event.Scope(Target.Broadcast.INSTANCE.wire(), null, null);

    private final Store store;
    private final Clock clock;
    private final InstalledConnectors installed;
    private final ActionRunner runner;
    private final Supplier<String> relayUrl;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(RelayThreads.virtual("relay-connector-"));
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT_ACTIONS);

    /** {@code relayUrl}: the address a connector's program reaches this relay at, asked when an action runs. */
    public ConnectorService(Store store, Clock clock, InstalledConnectors installed, Supplier<String> relayUrl) {
        this.store = store;
        this.clock = clock;
        this.installed = installed;
        this.runner = new ActionRunner(installed.folder() == null ? java.nio.file.Path.of(".") : installed.folder());
        this.relayUrl = relayUrl;
    }

    /**
     * Refuses a posted manifest that says what runs, naming the field: only the administrator
     * installs programs. Called at the edge before anything else is read of it.
     */
    public static void refusePrograms(JsonNode manifest, String prefix) {
        for (String field : PROGRAM_FIELDS) {
            if (manifest.has(field)) {
                throw RelayError.InvalidInput.worded(prefix + field, ADMIN_ONLY);
            }
        }
    }

    public CompletableFuture<List<Connector>> list() {
        return CompletableFuture.supplyAsync(installed::all, threads).thenCompose(manifests ->
                store.read(reads -> reads.connectors()).thenApply(rows -> {
                    Map<String, Connector> out = new TreeMap<>();
                    Map<String, ConnectorRow> byId = new LinkedHashMap<>();
                    rows.forEach(row -> byId.put(row.id(), row));
                    manifests.forEach((id, manifest) -> out.put(id, view(manifest, byId.get(id))));
                    rows.forEach(row -> {
                        if (row.registered() && !out.containsKey(row.id())) {
                            out.put(row.id(), view(null, row));
                        }
                    });
                    return List.copyOf(out.values());
                }));
    }

    public CompletableFuture<Connector> get(String id) {
        return lookUp(id).thenApply(found -> view(found.manifest(), found.row()));
    }

    public CompletableFuture<Connector> register(RegisterConnector command) {
        return CompletableFuture.supplyAsync(() -> installed.find(command.id()), threads).thenCompose(manifest ->
                store.write(tx -> {
                    long now = clock.millis();
                    ConnectorRow row = tx.registerConnector(new ConnectorRegistration(command.id(), command.name(),
                            command.description(), command.version(), command.channelType(), command.config(),
                            command.state(), now));
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("id", row.id());
                    data.put("name", row.name());
                    data.put("channelType", row.channelType());
                    tx.append(EventType.CONNECTOR_REGISTERED, Event.Origin.server(row.id()), EVERYONE, data, now);
                    return view(manifest.orElse(null), row);
                }));
    }

    /** The stored config with secret-looking values masked; {@code {}} when none was written. */
    public CompletableFuture<JsonNode> config(String id) {
        return lookUp(id).thenApply(found -> masked(found.row() == null ? null : found.row().config()));
    }

    /**
     * Replaces the config; answers it masked. A {@value #MASK} under a secret-looking key keeps the
     * stored value there (the masked config read back is written unchanged). 404 before the body's
     * 400, as the TypeScript server orders them.
     */
    public CompletableFuture<JsonNode> putConfig(String id, Parsed<JsonNode> config) {
        return lookUp(id).thenCompose(found -> {
            JsonNode value = config.get();
            String name = found.manifest() != null ? found.manifest().name() : found.row().name();
            return store.write(tx -> {
                long now = clock.millis();
                JsonNode stored = tx.connector(id).map(ConnectorRow::config).orElse(null);
                ConnectorRow row = tx.putConnectorConfig(id, name, unmasked(value, stored), now);
                List<String> keys = new ArrayList<>();
                value.fieldNames().forEachRemaining(keys::add);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", id);
                data.put("keys", keys);
                tx.append(EventType.CONNECTOR_CONFIG_CHANGED, Event.Origin.server(id), EVERYONE, data, now);
                return masked(row.config());
            });
        });
    }

    /**
     * Runs {@code action} of an installed connector. A connector that is registered only, or whose
     * manifest lacks the action, gets {@code ok:false} without anything being run or recorded.
     */
    public CompletableFuture<ConnectorActionResult> run(String id, ActionName action) {
        return lookUp(id).thenCompose(found -> {
            Manifest manifest = found.manifest();
            if (manifest == null) {
                return CompletableFuture.completedFuture(failed(id, action, "connector " + id
                        + " is not installed on this relay's host"));
            }
            Manifest.Action spec = manifest.actions().get(action);
            if (spec == null) {
                return CompletableFuture.completedFuture(failed(id, action, "connector " + id + " has no "
                        + action.wire() + " action in its manifest (it has: "
                        + String.join(", ", manifest.actionNames()) + ")"));
            }
            if (!running.add(id)) {
                throw new RelayError.Conflict("an action of connector " + id + " is already running");
            }
            if (!slots.tryAcquire()) {
                running.remove(id);
                throw new RelayError.Unavailable("too many connector actions are running (at most "
                        + MAX_CONCURRENT_ACTIONS + "); retry shortly", 1);
            }
            byte[] stdin = stdin(found.row());
            CompletableFuture<ActionRunner.Outcome> ran;
            try {
                ran = CompletableFuture.supplyAsync(() -> runner.run(manifest, spec, stdin, relayUrl.get()), threads);
            } catch (RuntimeException e) {
                slots.release();
                running.remove(id);
                throw e;
            }
            return ran.whenComplete((outcome, error) -> {
                slots.release();
                running.remove(id);
            }).thenCompose(outcome -> record(manifest, action, outcome));
        });
    }

    private CompletableFuture<ConnectorActionResult> record(Manifest manifest, ActionName action,
                                                            ActionRunner.Outcome outcome) {
        boolean ok = outcome.exitCode() != null && outcome.exitCode() == 0;
        String error = outcome.error() != null ? outcome.error()
                : ok ? null : action.wire() + " exited with code " + outcome.exitCode();
        return store.write(tx -> {
            long now = clock.millis();
            Connector.LastAction last = new Connector.LastAction(action.wire(), ok, outcome.exitCode(), now,
                    outcome.durationMs());
            tx.recordConnectorAction(manifest.id(), manifest.name(), last);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", manifest.id());
            data.put("action", action.wire());
            data.put("ok", ok);
            data.put("exitCode", outcome.exitCode());
            data.put("durationMs", outcome.durationMs());
            tx.append(EventType.CONNECTOR_ACTION, Event.Origin.server(manifest.id()), EVERYONE, data, now);
            return new ConnectorActionResult(ok, action.wire(), manifest.id(), outcome.exitCode(), outcome.output(),
                    outcome.durationMs(), error);
        });
    }

    /** Stops taking actions and kills the programs still running, with what they started. */
    public void close() {
        threads.shutdown();
        runner.killAll();
    }

    /** A connector as installed and stored; one of the two may be null, never both. */
    private record Found(Manifest manifest, ConnectorRow row) {
    }

    /** 404 {@code connector not found} unless it is installed or registered (or has a stored row). */
    private CompletableFuture<Found> lookUp(String id) {
        if (!ConnectorId.isValid(id)) {
            return CompletableFuture.failedFuture(notFound());
        }
        return CompletableFuture.supplyAsync(() -> installed.find(id), threads).thenCompose(manifest ->
                store.read(reads -> reads.connector(id)).thenApply(row -> {
                    Optional<ConnectorRow> visible = row.filter(r -> r.registered() || manifest.isPresent());
                    if (manifest.isEmpty() && visible.isEmpty()) {
                        throw notFound();
                    }
                    return new Found(manifest.orElse(null), row.orElse(null));
                }));
    }

    private static ConnectorActionResult failed(String id, ActionName action, String error) {
        return new ConnectorActionResult(false, action.wire(), id, null, "", 0, error);
    }

    private static byte[] stdin(ConnectorRow row) {
        JsonNode config = row == null || row.config() == null ? Json.mapper().createObjectNode() : row.config();
        try {
            return Json.mapper().writeValueAsBytes(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored config that cannot be written back as JSON", e);
        }
    }

    /** The installed manifest's description wins over a registered one; times and last action are the row's. */
    private static Connector view(Manifest manifest, ConnectorRow row) {
        if (manifest == null) {
            return new Connector(row.id(), row.name(), row.description(), row.version(), row.channelType(), false,
                    List.of(), row.lastAction(), row.createdAt(), row.updatedAt());
        }
        return new Connector(manifest.id(), manifest.name(), manifest.description(), manifest.version(),
                manifest.channelType(), true, manifest.actionNames(), row == null ? null : row.lastAction(),
                row == null ? manifest.modifiedAt() : row.createdAt(),
                row == null ? manifest.modifiedAt() : row.updatedAt());
    }

    static JsonNode masked(JsonNode config) {
        if (config == null) {
            return Json.mapper().createObjectNode();
        }
        JsonNode copy = config.deepCopy();
        mask(copy);
        return copy;
    }

    /**
     * {@code value} with every {@value #MASK} under a secret-looking key replaced by the value stored
     * at the same place, so a config read (masked) and written back keeps its secrets. A mask with
     * nothing stored at its place stays as written.
     */
    static JsonNode unmasked(JsonNode value, JsonNode stored) {
        JsonNode copy = value.deepCopy();
        restore(copy, stored);
        return copy;
    }

    private static void restore(JsonNode node, JsonNode stored) {
        if (!(node instanceof ObjectNode object) || stored == null || !stored.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            JsonNode old = stored.get(entry.getKey());
            if (old == null) {
                continue;
            }
            if (SECRET_KEY.matcher(entry.getKey()).find() && MASK.equals(entry.getValue().textValue())) {
                entry.setValue(old.deepCopy());
            } else {
                restore(entry.getValue(), old);
            }
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> entry : object.properties()) {
                if (SECRET_KEY.matcher(entry.getKey()).find() && !entry.getValue().isNull()) {
                    entry.setValue(TextNode.valueOf(MASK));
                } else {
                    mask(entry.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConnectorService::mask);
        }
    }

    private static RelayError.NotFound notFound() {
        return new RelayError.NotFound("connector not found");
    }
}
