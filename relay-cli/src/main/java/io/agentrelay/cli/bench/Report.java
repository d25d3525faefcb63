package io.agentrelay.cli.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentrelay.api.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's report, written as {@code report.json} and {@code report.md}: the machine, each
 * scenario's outcome (its typed figures, or why it failed), and the goal table. It is only written,
 * never read back.
 */
final class Report {
    /** The machine the run measured on. */
    record Machine(int cores, long memoryBytes, String os, String java) {
        static Machine current() {
            long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getTotalMemorySize() : -1;
            return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        }
    }

    private final String date = Instant.now().toString();
    private final String command;
    private final boolean smoke;
    private final Machine machine = Machine.current();
    private final Map<String, ObjectNode> outcomes = new LinkedHashMap<>();
    private String relay;
    private String relayStartupCache;
    private Long relayIdleRssMb;
    private List<Goals.Verdict> verdicts = List.of();

    Report(String command, boolean smoke) {
        this.command = command;
        this.smoke = smoke;
    }

    /** Which relay was measured: the bench's own, or the one at {@code --url}. */
    void relay(String description) {
        this.relay = description;
    }

    /** How the relays the bench started were started (AOT cache or CDS archive). */
    void relayStartupCache(String description) {
        this.relayStartupCache = description;
    }

    void relayIdleRssMb(long megabytes) {
        this.relayIdleRssMb = megabytes;
    }

    void completed(String scenario, ScenarioResult result) {
        ObjectNode node = Json.mapper().createObjectNode().put("completed", true);
        node.setAll((ObjectNode) Json.mapper().valueToTree(result));
        outcomes.put(scenario, node);
    }

    void failed(String scenario, Throwable why) {
        outcomes.put(scenario, Json.mapper().createObjectNode().put("completed", false).put("error", String.valueOf(why)));
    }

    void verdicts(List<Goals.Verdict> judged) {
        this.verdicts = List.copyOf(judged);
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    /** Writes {@code report.json} and {@code report.md} into {@code dir}; returns the Markdown path. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode results = Json.mapper().createObjectNode();
        outcomes.forEach(results::set);
        if (relayIdleRssMb != null) {
            results.putObject("memory").put("relayIdleRssMb", relayIdleRssMb);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("date", date);
        root.put("command", command);
        root.put("relay", relay);
        root.put("smoke", smoke);
        root.put("machine", machine);
        if (relayStartupCache != null) {
            root.put("relayStartupCache", relayStartupCache);
        }
        root.put("results", results);
        root.put("goals", verdicts);
        String json = Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        Files.writeString(dir.resolve("report.json"), json);
        List<String> md = new ArrayList<>();
        md.add("# Agent Relay benchmark\n");
        md.add("- date: " + date);
        md.add("- command: `" + command + "`");
        if (relay != null) {
            md.add("- relay: " + relay);
        }
        md.add("- machine: " + machine.cores() + " cores, " + machine.memoryBytes() / (1024 * 1024 * 1024) + " GiB, "
                + machine.os() + ", " + machine.java() + "\n");
        md.add("## Goals\n\n| goal | measured | met |\n|---|---|---|");
        for (Goals.Verdict verdict : verdicts) {
            md.add("| " + verdict.goal() + " | " + verdict.measured() + " | "
                    + (verdict.met() == null ? "n/a" : verdict.met() ? "yes" : "**no**") + " |");
        }
        md.add("\n## Figures\n\n```json\n" + Json.mapper().writer(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(results) + "\n```");
        Path out = dir.resolve("report.md");
        Files.writeString(out, String.join("\n", md) + "\n");
        return out;
    }
}
