package io.agentrelay.server.configstore;

import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.Target;
import io.agentrelay.server.errors.RelayError;
import io.agentrelay.server.errors.Require;
import io.agentrelay.server.model.Event;
import io.agentrelay.server.model.EventType;
import io.agentrelay.server.store.ConfigWrite;
import io.agentrelay.server.store.Reads;
import io.agentrelay.server.store.Store;
import io.agentrelay.server.store.Tx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The versioned config store (namespaces of keys holding any JSON). Every write — a deletion too —
 * gives the key its next version, is kept in the key's history and appends {@code config.changed}
 * in the same transaction. The store decides versions with one conditional statement per write
 * ({@link Tx#putConfig}), so concurrent writers of a key never share a version or lose a write.
 *
 * <p>{@code config.changed} is addressed to {@code broadcast}: a config change concerns every agent
 * (the TypeScript server filters only task events by agent), so it is on every agent's filtered
 * stream and {@code /api/events?agentId=} as well as on the unfiltered ones.
 */
public final class ConfigService {
    public static final int MAX_UPDATED_BY = 200;
    /** Where {@code config.changed} events go: to every agent. */
    static final Event.Scope EVERYONE = new Event.Scope(Target.Broadcast.INSTANCE.wire(), null, null);

    private final Store store;
    private final Clock clock;

    public ConfigService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** {@code updatedBy} as stored: trimmed, null when blank, at most {@value #MAX_UPDATED_BY} characters. */
    public static String updatedBy(String value) {
        return Require.label("updatedBy", value, MAX_UPDATED_BY);
    }

    public CompletableFuture<List<ConfigNamespace>> namespaces() {
        return store.read(Reads::configNamespaces);
    }

    /** A namespace's live entries by key; {@code namespace} as {@link ConfigKey#namespace} checked it. */
    public CompletableFuture<List<ConfigEntry>> list(String namespace) {
        return store.read(reads -> reads.configEntries(namespace));
    }

    public CompletableFuture<ConfigEntry> get(ConfigKey key) {
        return store.read(reads -> reads.configEntry(key.namespace(), key.key()).orElseThrow(ConfigService::notFound));
    }

    /** Newest first; {@code beforeVersion} (0 = from the newest) pages back. A key never written has none. */
    public CompletableFuture<List<ConfigRevision>> history(ConfigKey key, long beforeVersion, int limit) {
        return store.read(reads -> reads.configHistory(key.namespace(), key.key(), beforeVersion, limit));
    }

    /** The entry as written; its version is 1 when the key was never written before. */
    public CompletableFuture<ConfigEntry> put(PutConfig command) {
        ConfigKey key = command.key();
        return store.write(tx -> {
            long now = clock.millis();
            ConfigWrite write = new ConfigWrite(key.namespace(), key.key(), command.value(), command.updatedBy(), now);
            ConfigEntry entry;
            if (command.ifVersion() == null) {
                entry = tx.putConfig(write);
            } else {
                long expected = command.ifVersion();
                // Checked before writing, so a refusal leaves nothing to undo; the write is
                // conditional again, for a writer (on another node) that got in between.
                requireVersion(tx, key, expected);
                entry = tx.putConfigIf(write, expected).orElseThrow(() -> conflict(version(tx, key)));
            }
            changed(tx, key, entry.version(), now);
            return entry;
        });
    }

    /** The deletion's version. */
    public CompletableFuture<Long> delete(DeleteConfig command) {
        ConfigKey key = command.key();
        return store.write(tx -> {
            long now = clock.millis();
            ConfigEntry current = tx.configEntry(key.namespace(), key.key()).orElseThrow(ConfigService::notFound);
            if (command.ifVersion() != null && current.version() != command.ifVersion()) {
                throw conflict(current.version());
            }
            OptionalLong deleted = command.ifVersion() == null
                    ? tx.deleteConfig(key.namespace(), key.key(), command.updatedBy(), now)
                    : tx.deleteConfigIf(key.namespace(), key.key(), command.updatedBy(), now, command.ifVersion());
            if (deleted.isEmpty()) {
                // Deleted or rewritten meanwhile by a writer on another node.
                Optional<ConfigEntry> after = tx.configEntry(key.namespace(), key.key());
                throw after.isEmpty() ? notFound() : conflict(after.get().version());
            }
            changed(tx, key, deleted.getAsLong(), now);
            return deleted.getAsLong();
        });
    }

    /**
     * Deletes a live key inside the caller's transaction, with its {@code config.changed}: the
     * deletion's version, or empty (nothing written) when the key has no live entry. For a feature
     * whose deletion of an entry is one transaction with other changes (a spawn policy's stop).
     */
    public static OptionalLong deleteIn(Tx tx, ConfigKey key, String updatedBy, long now) {
        OptionalLong deleted = tx.deleteConfig(key.namespace(), key.key(), updatedBy(updatedBy), now);
        if (deleted.isPresent()) {
            changed(tx, key, deleted.getAsLong(), now);
        }
        return deleted;
    }

    private static void requireVersion(Reads reads, ConfigKey key, long expected) {
        long current = version(reads, key);
        if (current != expected) {
            throw conflict(current);
        }
    }

    /** The live entry's version; 0 when the key has none (never written, or deleted). */
    private static long version(Reads reads, ConfigKey key) {
        return reads.configEntry(key.namespace(), key.key()).map(ConfigEntry::version).orElse(0L);
    }

    private static void changed(Tx tx, ConfigKey key, long version, long now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("namespace", key.namespace());
        data.put("key", key.key());
        data.put("version", version);
        tx.append(EventType.CONFIG_CHANGED, Event.Origin.server(key.subject()), EVERYONE, data, now);
    }

    private static RelayError.NotFound notFound() {
        return new RelayError.NotFound("config not found");
    }

    private static RelayError.Conflict conflict(long current) {
        return new RelayError.Conflict("version conflict", Map.of("version", current));
    }
}
