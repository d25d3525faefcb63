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
        Map<String, Object> meta) {

    public Registration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        tags = tags == null ? List.of() : List.copyOf(tags);
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }

    public static Builder builder(String id, String name) {
        return new Builder(id, name);
    }

    Map<String, Object> body() {
        return Transport.body("id", id, "name", name, "kind", kind, "status", status, "ready", ready,
                "label", label, "tags", tags, "capabilities", capabilities, "machine", machine,
                "instanceId", instanceId, "meta", meta);
    }

    /** Collects the optional fields of a {@link Registration}. Not thread-safe; build, then share. */
    public static final class Builder {
        private final String id;
        private final String name;
        private AgentKind kind;
        private AgentStatus status;
        private Boolean ready;
        private String label;
        private List<String> tags = List.of();
        private List<String> capabilities = List.of();
        private String machine;
        private String instanceId;
        private Map<String, Object> meta = Map.of();

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

        public Registration build() {
            return new Registration(id, name, kind, status, ready, label, tags, capabilities, machine, instanceId, meta);
        }
    }
}
