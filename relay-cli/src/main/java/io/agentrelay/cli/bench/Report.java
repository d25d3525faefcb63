package io.agentrelay.cli.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
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
import org.HdrHistogram.Histogram;

/** Figures collected by a benchmark run, written as JSON and as a Markdown report. */
final class Report {
    /** One goal from the performance brief and whether this run met it. */
    record Goal(String goal, String measured, Boolean met) {
    }

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<Goal> goals = new ArrayList<>();
    private final List<String> markdown = new ArrayList<>();

    Report(String command, boolean smoke) {
        root.put("date", Instant.now().toString());
        root.put("command", command);
        root.put("relay", null);
        root.put("smoke", smoke);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryBytes", totalMemory());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        root.put("machine", machine);
        root.put("results", results);
        root.put("goals", goals);
    }

    /** Which relay was measured: the bench's own, or the one at {@code --url}. */
    void relay(String description) {
        root.put("relay", description);
    }

    void put(String scenario, String key, Object value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> section = (Map<String, Object>) results.computeIfAbsent(scenario, k -> new LinkedHashMap<>());
        section.put(key, value);
    }

    Object get(String scenario, String key) {
        Object section = results.get(scenario);
        return section instanceof Map<?, ?> map ? map.get(key) : null;
    }

    void goal(String goal, String measured, Boolean met) {
        goals.add(new Goal(goal, measured, met));
    }

    void line(String text) {
        markdown.add(text);
    }

    static Map<String, Object> latency(Histogram micros) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", micros.getTotalCount());
        out.put("p50Ms", ms(micros.getValueAtPercentile(50)));
        out.put("p99Ms", ms(micros.getValueAtPercentile(99)));
        out.put("p999Ms", ms(micros.getValueAtPercentile(99.9)));
        out.put("maxMs", ms(micros.getMaxValue()));
        return out;
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }

    /** Writes {@code report.json} and {@code report.md} into {@code dir}; returns the Markdown path. */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"),
                Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        StringBuilder md = new StringBuilder();
        md.append("# Agent Relay benchmark\n\n");
        md.append("- date: ").append(root.get("date")).append('\n');
        md.append("- command: `").append(root.get("command")).append("`\n");
        if (root.get("relay") != null) {
            md.append("- relay: ").append(root.get("relay")).append('\n');
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) root.get("machine");
        md.append("- machine: ").append(machine.get("cores")).append(" cores, ")
                .append(((Long) machine.get("memoryBytes")) / (1024 * 1024 * 1024)).append(" GiB, ")
                .append(machine.get("os")).append(", ").append(machine.get("java")).append("\n\n");
        md.append("## Goals\n\n| goal | measured | met |\n|---|---|---|\n");
        for (Goal goal : goals) {
            md.append("| ").append(goal.goal()).append(" | ").append(goal.measured()).append(" | ")
                    .append(goal.met() == null ? "n/a" : goal.met() ? "yes" : "**no**").append(" |\n");
        }
        md.append('\n');
        for (String text : markdown) {
            md.append(text).append('\n');
        }
        Path out = dir.resolve("report.md");
        Files.writeString(out, md.toString());
        return out;
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
