package io.agentrelay.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The commands a mistyped one was probably meant to be: those within a small edit distance
 * (insertions, deletions, substitutions and swapped neighbours count one each) or that it starts,
 * closest first. Picocli's own suggestions rank by character pairs in common and offered
 * unrelated commands for short typos.
 */
final class Suggestions {
    private Suggestions() {
    }

    static List<String> of(String typed, Iterable<String> commands) {
        String word = typed.toLowerCase(Locale.ROOT);
        int allowed = word.length() <= 4 ? 1 : 2;
        List<String> close = new java.util.ArrayList<>();
        for (String command : commands) {
            if (distance(word, command) <= allowed || (word.length() >= 3 && command.startsWith(word))) {
                close.add(command);
            }
        }
        close.sort(Comparator.comparingInt(command -> distance(word, command)));
        return close.size() > 3 ? close.subList(0, 3) : close;
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
