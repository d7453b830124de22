// "Did you mean": the closest known names to a misspelt one, by edit distance.
package dev.jlens.hooks;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Nearest-name suggestions for error messages (unknown hook names, unknown CLI options). */
public final class Suggest {
    private Suggest() {}

    /** Up to {@code count} names of {@code known} closest to {@code name} (Levenshtein distance, then name order). */
    public static List<String> nearest(String name, Collection<String> known, int count) {
        return known.stream().sorted(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k))
                .limit(count).toList();
    }

    /** The name of {@code known} closest to {@code name} if at most {@code maxDistance} edits away, else null. */
    public static String closest(String name, Collection<String> known, int maxDistance) {
        List<String> best = nearest(name, known, 1);
        return best.isEmpty() || distance(name, best.getFirst()) > maxDistance ? null : best.getFirst();
    }

    /** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
