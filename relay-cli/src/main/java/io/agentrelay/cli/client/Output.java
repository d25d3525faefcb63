package io.agentrelay.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentrelay.api.AgentCard;
import io.agentrelay.api.ConfigEntry;
import io.agentrelay.api.ConfigNamespace;
import io.agentrelay.api.ConfigRevision;
import io.agentrelay.api.Json;
import io.agentrelay.api.Message;
import io.agentrelay.api.Orchestrator;
import io.agentrelay.api.Provider;
import io.agentrelay.api.Task;
import io.agentrelay.api.TaskEvent;
import io.agentrelay.client.TaskDetail;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders results for people (aligned, short) or for scripts (one compact JSON document per line).
 * Results go to stdout; diagnostics go to stderr elsewhere.
 */
public final class Output {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final int PREVIEW = 120;

    private final PrintStream out;
    private final boolean json;

    public Output(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    public boolean json() {
        return json;
    }

    /** One JSON document on one line. */
    public void json(Object value) {
        try {
            out.println(Json.mapper().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render result as JSON", e);
        }
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A message in a list: header line, then the subject or the body's first line, indented. */
    public void summary(Message message) {
        List<String> flags = new ArrayList<>();
        if (Boolean.FALSE.equals(message.read())) {
            flags.add("unread");
        }
        if (message.claimable()) {
            flags.add(message.claimedBy() == null ? "claimable" : "claimed by " + message.claimedBy());
        }
        if (message.replyTo() != null) {
            flags.add("reply to #" + message.replyTo());
        }
        out.println("#" + message.id() + "  " + message.from() + " → " + message.to() + "  " + time(message.createdAt())
                + (message.kind() != null && !"chat".equals(message.kind().wire()) ? "  " + message.kind().wire() : "")
                + (flags.isEmpty() ? "" : "  [" + String.join(", ", flags) + "]"));
        String text = message.subject() != null && !message.subject().isBlank() ? message.subject() : message.body();
        out.println("    " + preview(text));
        out.flush();
    }

    /** A message in full: every field that is set, then the body. */
    public void full(Message message) {
        out.println("#" + message.id() + " from " + message.from() + " to " + message.to() + " — " + time(message.createdAt())
                + " (" + message.kind().wire() + ")");
        if (message.subject() != null) {
            out.println("Subject:   " + message.subject());
        }
        if (message.replyTo() != null) {
            out.println("Reply to:  #" + message.replyTo() + " (thread #" + message.threadId() + ")");
        }
        if (message.claimable()) {
            out.println("Claim:     " + (message.claimedBy() == null ? "claimable, not claimed"
                    : "claimed by " + message.claimedBy() + " until " + time(message.claimExpiresAt())));
        }
        if (message.channel() != null) {
            out.println("Channel:   " + message.channel());
        }
        if (!message.meta().isEmpty()) {
            out.println("Meta:      " + compact(message.meta()));
        }
        if (!message.payload().isEmpty()) {
            out.println("Payload:   " + compact(message.payload()));
        }
        out.println();
        out.println(message.body());
        out.flush();
    }

    /** Agents as an aligned table. */
    public void agents(List<AgentCard> agents, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "NAME", "TAGS", "CAPABILITIES", "LAST SEEN"});
        for (AgentCard agent : agents) {
            rows.add(new String[] {agent.id(), agent.status().wire(), agent.name(),
                    String.join(",", agent.tags()), String.join(",", agent.capabilities()),
                    ago(now - agent.lastSeenAt())});
        }
        table(rows);
    }

    /** Tasks as an aligned table, the title last. */
    public void tasks(List<Task> tasks, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "SEVERITY", "TARGET", "CHANNEL", "HOLDER", "UPDATED", "TITLE"});
        for (Task task : tasks) {
            rows.add(new String[] {"#" + task.id(), task.status().wire(), task.severity().wire(), task.target(),
                    orDash(task.channel()), orDash(task.claimedBy()), ago(now - task.updatedAt()), preview(task.title())});
        }
        table(rows);
    }

    /** Orchestrators as an aligned table, the base folder last. */
    public void orchestrators(List<Orchestrator> orchestrators, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "HOST", "PROVIDERS", "SESSIONS", "INBOX", "LAST SEEN", "BASE DIR"});
        for (Orchestrator o : orchestrators) {
            rows.add(new String[] {o.id(), o.status().wire(), o.hostname(),
                    String.join(",", o.providers().stream().map(Provider::wire).toList()),
                    Integer.toString(o.agents().size()), o.agentId(), ago(now - o.lastSeenAt()), o.baseDir()});
        }
        table(rows);
    }

    /** Connectors: installed (the relay's administrator's) or registered only, their actions and last run. */
    public void connectors(List<io.agentrelay.api.Connector> connectors) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "INSTALLED", "CHANNEL", "ACTIONS", "LAST ACTION", "NAME"});
        for (io.agentrelay.api.Connector c : connectors) {
            io.agentrelay.api.Connector.LastAction last = c.lastAction();
            String lastText = last == null ? "-" : last.action() + " " + (last.ok() ? "ok"
                    : last.exitCode() == null ? "failed" : "exit " + last.exitCode()) + " " + time(last.at());
            rows.add(new String[] {c.id(), c.installed() ? "yes" : "no", orDash(c.channelType()),
                    c.actions().isEmpty() ? "-" : String.join(",", c.actions()), lastText, orDash(c.name())});
        }
        table(rows);
    }

    /** Spawn policies with their managed agents' state, the last error last. */
    public void policies(List<io.agentrelay.api.PolicyView> views, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATUS", "PROVIDER", "ORCHESTRATOR", "AGENT", "RESTARTS", "FAILURES", "UPDATED",
                "LAST ERROR"});
        for (io.agentrelay.api.PolicyView view : views) {
            io.agentrelay.api.PolicyState state = view.state();
            rows.add(new String[] {view.policy().name(), state.status().wire(), view.policy().provider().wire(),
                    view.policy().orchestratorId(), orDash(state.agentId()), Integer.toString(state.restartCount()),
                    Integer.toString(state.consecutiveFailures()), state.updatedAt() == 0 ? "-" : ago(now - state.updatedAt()),
                    preview(orDash(state.lastError()))});
        }
        table(rows);
    }

    /** Commands as an aligned table: what each asks, its state, and the executor's last word. */
    public void commands(List<io.agentrelay.api.Command> commands, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "TYPE", "STATUS", "TARGET", "UPDATED", "DETAIL"});
        for (io.agentrelay.api.Command command : commands) {
            rows.add(new String[] {"#" + command.id(), command.type().wire(), command.status().wire(), command.target(),
                    ago(now - command.updatedAt()), preview(detail(command))});
        }
        table(rows);
    }

    /** Pairs as an aligned table: who invited whom, the state, and what it is about. */
    public void pairs(List<io.agentrelay.api.Pair> pairs, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "FROM", "TO", "UPDATED", "TOPIC"});
        for (io.agentrelay.api.Pair pair : pairs) {
            rows.add(new String[] {"#" + pair.id(), pair.status().wire(), pair.from(), pair.to(),
                    ago(now - pair.updatedAt()), orDash(pair.topic() == null ? null : preview(pair.topic()))});
        }
        table(rows);
    }

    /** The error, else the progress, else what the command asks for (provider and folder, or which agent). */
    private static String detail(io.agentrelay.api.Command command) {
        if (command.error() != null) {
            return command.error();
        }
        if (command.progress() != null) {
            return command.progress();
        }
        Map<String, Object> params = command.params();
        if (params.get("provider") != null) {
            return params.get("provider") + " in " + params.getOrDefault("cwd", "?");
        }
        return params.get("agentId") != null ? String.valueOf(params.get("agentId")) : "all managed agents";
    }

    /** A task in full: its fields, the body, then its history. */
    public void task(TaskDetail detail) {
        Task task = detail.task();
        out.println("task #" + task.id() + " [" + task.status().wire() + "] " + task.severity().wire() + " — " + task.title());
        out.println("From:      " + task.integration() + (task.dedupeKey() == null ? "" : " (key " + task.dedupeKey() + ")")
                + ", seen " + task.occurrenceCount() + (task.occurrenceCount() == 1 ? " time" : " times")
                + ", last " + time(task.lastSeenAt()));
        out.println("Target:    " + task.target() + (task.channel() == null ? "" : " (channel " + task.channel() + ")"));
        if (task.claimedBy() != null) {
            out.println("Holder:    " + task.claimedBy() + " since " + time(task.claimedAt()));
        }
        if (task.progress() != null) {
            out.println("Progress:  " + task.progress());
        }
        if (task.result() != null) {
            out.println("Result:    " + task.result());
        }
        if (task.externalUrl() != null) {
            out.println("Link:      " + task.externalUrl());
        }
        if (task.messageId() != null) {
            out.println("Message:   #" + task.messageId());
        }
        if (!task.metadata().isEmpty()) {
            out.println("Metadata:  " + compact(task.metadata()));
        }
        out.println("Created:   " + time(task.createdAt()) + (task.closedAt() == null ? "" : ", closed " + time(task.closedAt())));
        if (task.body() != null && !task.body().isBlank()) {
            out.println();
            out.println(task.body());
        }
        out.println();
        out.println("History:");
        for (TaskEvent event : detail.events()) {
            out.println("  " + time(event.at()) + "  " + event.kind().wire()
                    + (event.agentId() == null ? "" : " by " + event.agentId())
                    + (event.from() == null || event.from() == event.to() ? "" : "  " + event.from().wire() + " → " + event.to().wire()));
        }
        out.flush();
    }

    /** Config namespaces as an aligned table. */
    public void configNamespaces(List<ConfigNamespace> namespaces, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "KEYS", "UPDATED"});
        for (ConfigNamespace namespace : namespaces) {
            rows.add(new String[] {namespace.namespace(), Long.toString(namespace.keys()), ago(now - namespace.updatedAt())});
        }
        table(rows);
    }

    /** A namespace's config entries as an aligned table, the value (compact JSON) last. */
    public void configEntries(List<ConfigEntry> entries, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY", "VERSION", "UPDATED BY", "UPDATED", "VALUE"});
        for (ConfigEntry entry : entries) {
            rows.add(new String[] {entry.key(), Long.toString(entry.version()), orDash(entry.updatedBy()),
                    ago(now - entry.updatedAt()), preview(compactJson(entry.value()))});
        }
        table(rows);
    }

    /** A config key's history as an aligned table, newest first; a deletion's value reads "(deleted)". */
    public void configHistory(List<ConfigRevision> history, long now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VERSION", "UPDATED BY", "UPDATED", "VALUE"});
        for (ConfigRevision revision : history) {
            rows.add(new String[] {Long.toString(revision.version()), orDash(revision.updatedBy()),
                    ago(now - revision.updatedAt()), revision.deleted() ? "(deleted)" : preview(compactJson(revision.value()))});
        }
        table(rows);
    }

    /** A JSON value laid out over lines for a person (still valid JSON). */
    public static String prettyJson(JsonNode value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the value as JSON", e);
        }
    }

    private static String compactJson(JsonNode value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private void table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    public static String time(Long epochMillis) {
        return epochMillis == null ? "-" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String ago(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toSeconds() < 60) {
            return d.toSeconds() + "s ago";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + "m ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + "h ago";
        }
        return d.toDays() + "d ago";
    }

    static String preview(String text) {
        String[] lines = text.strip().split("\\R", -1);
        String first = lines[0];
        String more = lines.length > 1 ? " (+" + (lines.length - 1) + " lines)" : "";
        return (first.length() > PREVIEW ? first.substring(0, PREVIEW - 1) + "…" : first) + more;
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }

    private static String compact(Map<String, Object> value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return value.toString();
        }
    }
}
