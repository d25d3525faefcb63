package io.agentrelay.client;

import io.agentrelay.api.AgentKind;
import io.agentrelay.api.AgentStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Agents#register} sends: an upsert of the agent's card. Only {@code id} and
 * {@code name} are required; build one with {@link #builder(String, String)}.
 *
 * <p>Registering an agent the relay knows <b>merges</b>: what this registration leaves unset
 * (null: {@code kind}, {@code label}, {@code tags}, {@code capabilities}, {@code machine},
 * {@code meta}) keeps its current value, so a heartbeat loop that re-registers cannot wipe the
 * capabilities someone else gave the agent. An empty list is set: it clears. {@code replace}
 * makes unset fields take their defaults instead. {@code defaultCapabilities} apply only when
 * the registration creates the agent and sets no {@code capabilities} (the integrations' default
 * {@code chat}).
 *
 * <p>{@code instanceId} identifies this process: registering with a new one increments the
 * agent's {@code epoch}, after which writes guarded by the old instance are refused.
 */
public record Registration(
        String id,
        String name,
        AgentKind kind,
        AgentStatus status,
        Boolean ready,
        String label,
        List<String> tags,
        List<String> capabilities,
        String machine,
        String instanceId,
        Map<String, Object> meta,
        boolean replace,
        List<String> defaultCapabilities) {

    public Registration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        tags = tags == null ? null : List.copyOf(tags);
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
        meta = meta == null ? null : Map.copyOf(meta);
        defaultCapabilities = defaultCapabilities == null ? List.of() : List.copyOf(defaultCapabilities);
    }

    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    Map<String, Object> body() {
        return Transport.body("id", id, "name", name, "kind", kind, "status", status, "ready", ready,
                "label", label, "tags", tags, "capabilities", capabilities, "machine", machine,
                "instanceId", instanceId, "meta", meta, "replace", replace ? Boolean.TRUE : null);
    }

    /** Collects the optional fields of a {@link Registration}. Not thread-safe; build, then share. */
    public static final class Builder {
        private final String id;
        private final String name;
        private AgentKind kind;
        private AgentStatus status;
        private Boolean ready;
        private String label;
        private List<String> tags;
        private List<String> capabilities;
        private String machine;
        private String instanceId;
        private Map<String, Object> meta;
        private boolean replace;
        private List<String> defaultCapabilities = List.of();

        private Builder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        public Builder kind(AgentKind value) {
            this.kind = value;
            return this;
        }

        public Builder status(AgentStatus value) {
            this.status = value;
            return this;
        }

        public Builder ready(boolean value) {
            this.ready = value;
            return this;
        }

        public Builder label(String value) {
            this.label = value;
            return this;
        }

        public Builder tags(List<String> value) {
            this.tags = value;
            return this;
        }

        public Builder tags(String... value) {
            return tags(List.of(value));
        }

        public Builder capabilities(List<String> value) {
            this.capabilities = value;
            return this;
        }

        public Builder capabilities(String... value) {
            return capabilities(List.of(value));
        }

        public Builder machine(String value) {
            this.machine = value;
            return this;
        }

        public Builder instanceId(String value) {
            this.instanceId = value;
            return this;
        }

        public Builder meta(Map<String, Object> value) {
            this.meta = value;
            return this;
        }

        /** Unset fields take their defaults instead of keeping the agent's current values. */
        public Builder replace(boolean value) {
            this.replace = value;
            return this;
        }

        /** Capabilities for a new agent when {@link #capabilities} is not set (ignored for a known one). */
        public Builder defaultCapabilities(List<String> value) {
            this.defaultCapabilities = value;
            return this;
        }

        public Registration build() {
            return new Registration(id, name, kind, status, ready, label, tags, capabilities, machine, instanceId, meta,
                    replace, defaultCapabilities);
        }
    }
}
