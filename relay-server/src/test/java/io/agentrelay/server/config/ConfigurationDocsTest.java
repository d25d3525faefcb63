package io.agentrelay.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md is {@link Setting} rendered: this test fails when they
 * differ and prints the table to paste. Run it with {@code -Dagent-relay.write-docs=true} to write
 * the table into the file instead.
 */
class ConfigurationDocsTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final String BEGIN = "<!-- The table below is generated from Setting.java: ConfigurationDocsTest "
            + "checks it, and -Dagent-relay.write-docs=true writes it. -->\n";
    private static final String END = "<!-- end of the generated table -->\n";

    @Test
    void theDocumentedTableIsTheSettingsRendered() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s has the marker %s", DOC, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s", DOC, END).isGreaterThan(begin);
        String documented = doc.substring(begin + BEGIN.length(), end);
        String rendered = table();
        if (!documented.equals(rendered) && Boolean.getBoolean("agent-relay.write-docs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + rendered + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(documented).as("the settings table in %s; rerun with -Dagent-relay.write-docs=true to write it",
                DOC).isEqualTo(rendered);
    }

    @Test
    void everySettingHasItsOwnVariableAndFlagAndADefaultWithinItsBounds() {
        Set<String> names = new HashSet<>();
        Map<String, String> defaults = new HashMap<>();
        for (Setting setting : Setting.values()) {
            assertThat(names.add(setting.env())).as("%s: variable used twice", setting).isTrue();
            assertThat(names.add(setting.flag())).as("%s: flag used twice", setting).isTrue();
            assertThat(setting.flag()).matches("--[a-z][a-z-]*[a-z]");
            assertThat(setting.help()).as("%s help", setting).isNotBlank().endsWith(".");
            assertThat(setting.meaning()).as("%s meaning", setting).isNotBlank().doesNotContain("|").doesNotEndWith(".");
            if (setting.type().kind() != Setting.Type.Kind.TEXT) {
                assertThat(setting.fallback()).as("%s: a typed setting has a default", setting).isNotEmpty();
            }
            defaults.put(setting.env(), setting.fallback());
        }
        // Each default read on its own: none is refused by its own type and bounds.
        for (Setting setting : Setting.values()) {
            SettingValues values = new SettingValues(Map.of(), Map.of());
            switch (setting.type().kind()) {
                case NUMBER, BYTES -> assertThat(values.number(setting)).isEqualTo(Long.parseLong(setting.fallback()));
                case MILLIS -> assertThat(values.millis(setting).toMillis()).isEqualTo(Long.parseLong(setting.fallback()));
                case BOOLEAN -> assertThat(values.bool(setting)).isEqualTo(Boolean.parseBoolean(setting.fallback()));
                case TEXT -> assertThat(values.text(setting)).isEqualTo(setting.fallback());
            }
        }
        // And all of them together, as the variables the table documents, make a configuration.
        assertThat(RelayConfig.from(defaults, Map.of())).isEqualTo(RelayConfig.from(Map.of(), Map.of()));
    }

    /** The table as docs/configuration.md shows it. */
    static String table() {
        StringBuilder text = new StringBuilder("| variable | flag | default | allowed | meaning |\n|---|---|---|---|---|\n");
        for (Setting setting : Setting.values()) {
            String shown = setting.shownDefault();
            text.append("| `").append(setting.env()).append("` | `").append(setting.flag()).append("` | ")
                    .append(shown.equals("none") ? shown : "`" + shown + "`").append(" | ")
                    .append(allowed(setting.type())).append(" | ").append(setting.meaning()).append(" |\n");
        }
        return text.toString();
    }

    private static String allowed(Setting.Type type) {
        return switch (type.kind()) {
            case TEXT -> "";
            case BOOLEAN -> "`true`, `false`";
            case NUMBER -> type.min() + "–" + type.max();
            case BYTES -> bytes(type.min()) + "–" + bytes(type.max());
            case MILLIS -> millis(type.min()) + "–" + millis(type.max());
        };
    }

    /** A byte count in the largest binary unit that states it exactly. */
    private static String bytes(long count) {
        String[] units = {"GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (count % unit == 0) {
                return count / unit + " " + units[i];
            }
        }
        return count + " bytes";
    }

    /** A duration in the largest unit that states it exactly. */
    private static String millis(long ms) {
        long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] units = {"d", "h", "min", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + " " + units[i];
            }
        }
        return ms + " ms";
    }
}
