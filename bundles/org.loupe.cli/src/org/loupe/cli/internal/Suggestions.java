package org.loupe.cli.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The "did you mean" of a misspelled command, option, analysis or model id. Picocli ranks
 * candidates by the bigrams they share, which finds {@code --modle} but misses short words with a
 * dropped or swapped letter ({@code --lyer}, {@code lsit}); those are found here by edit distance
 * (a swap of two neighbours counts as one edit). Picocli's best guess is the fallback when it is
 * no further than half the typed word, so that a word like nothing known gets no suggestion.
 */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate {@code typed} most likely stands for, if any is close enough.
     *
     * @param picocli picocli's own suggestions for {@code typed}, best first (may be empty)
     */
    static Optional<String> best(String typed, Collection<String> candidates, List<String> picocli) {
        Optional<String> close = candidates.stream().filter(c -> distance(typed, c) <= allowed(typed))
                .min(Comparator.comparingInt((String c) -> distance(typed, c)).thenComparingInt(String::length));
        return close.isPresent() ? close
                : picocli.stream().filter(candidates::contains).filter(c -> distance(typed, c) <= typed.length() / 2).findFirst();
    }

    /** Edits tolerated: one in a short word, two from five letters on, a third from twelve. */
    private static int allowed(String typed) {
        String core = typed.replaceFirst("^-+", "");
        return core.length() < 5 ? 1 : core.length() < 12 ? 2 : 3;
    }

    /**
     * Edits between {@code typed} and a candidate, or between {@code typed} and the candidate's
     * last dot-separated segment ({@code prediction} for {@code org.loupe.analysis.prediction}).
     */
    static int distance(String typed, String candidate) {
        String a = typed.toLowerCase();
        String b = candidate.toLowerCase();
        int d = osa(a, b);
        int dot = b.lastIndexOf('.');
        return dot < 0 ? d : Math.min(d, osa(a, b.substring(dot + 1)));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    private static int osa(String a, String b) {
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
