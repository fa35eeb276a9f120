package dev.asyncocr.eval;

import java.util.List;

/** Text similarity measures over Unicode code points (so a CJK character or an emoji counts once). */
public final class TextMetrics {

    private TextMetrics() {
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions of code points turning a into b. */
    public static int editDistance(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        if (x.length < y.length) {
            int[] t = x;
            x = y;
            y = t;
        }
        // one row of the dynamic-programming table, over the shorter string
        int[] row = new int[y.length + 1];
        for (int j = 0; j <= y.length; j++) {
            row[j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= y.length; j++) {
                int above = row[j];
                int substitution = diagonal + (x[i - 1] == y[j - 1] ? 0 : 1);
                row[j] = Math.min(substitution, Math.min(above, row[j - 1]) + 1);
                diagonal = above;
            }
        }
        return row[y.length];
    }

    /** The length in code points. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * Character error rate: edit distance divided by the expected text's length in code points. It is
     * not capped at 1 (extra recognised text counts in full); an empty expectation divides by 1, so
     * it scores 0 only against an empty result.
     */
    public static double characterErrorRate(String expected, String actual) {
        return characterErrorRate(editDistance(expected, actual), expected);
    }

    /** {@link #characterErrorRate(String, String)} from an edit distance already known. */
    public static double characterErrorRate(int editDistance, String expected) {
        return (double) editDistance / Math.max(1, length(expected));
    }

    /** The share of words occurring as substrings of the text; 1 when there are no words. */
    public static double wordRecall(List<String> words, String text) {
        if (words.isEmpty()) {
            return 1.0;
        }
        long found = words.stream().filter(text::contains).count();
        return (double) found / words.size();
    }
}
