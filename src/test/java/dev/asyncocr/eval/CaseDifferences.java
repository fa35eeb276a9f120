package dev.asyncocr.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two runs of the same cases compared line by line: the same verdict, the same number of lines, and
 * each line's text and angle equal, its corners within a few pixels and its confidence close.
 */
final class CaseDifferences {

    private CaseDifferences() {
    }

    /** One line per case that differs; empty when the runs agree. */
    static List<String> between(List<CaseResult> first, List<CaseResult> second, int boxPixels, double confidence) {
        assertEquals(first.size(), second.size(), "both runs hold every case");
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            difference(first.get(i), second.get(i), boxPixels, confidence).ifPresent(differences::add);
        }
        return differences;
    }

    static List<CaseResult> cases(EvalReport report) {
        return report.sets().stream().flatMap(set -> set.cases().stream()).toList();
    }

    private static Optional<String> difference(CaseResult a, CaseResult b, int boxPixels, double confidence) {
        if (a.passed() != b.passed()) {
            return Optional.of(a.id() + ": passed " + a.passed() + " then " + b.passed());
        }
        if (a.lines().size() != b.lines().size()) {
            return Optional.of(a.id() + ": " + a.lines().size() + " lines, then " + b.lines().size());
        }
        for (int i = 0; i < a.lines().size(); i++) {
            ResultLine x = a.lines().get(i);
            ResultLine y = b.lines().get(i);
            boolean same = Objects.equals(x.text(), y.text())
                    && Math.abs(x.confidence() - y.confidence()) <= confidence
                    && Objects.equals(x.angle(), y.angle())
                    && corners(x.box(), y.box(), boxPixels);
            if (!same) {
                return Optional.of(a.id() + " line " + i + ": " + describe(x) + ", then " + describe(y));
            }
        }
        return Optional.empty();
    }

    private static boolean corners(int[][] a, int[][] b, int pixels) {
        if (a == null || b == null || a.length != b.length) {
            return a == b;
        }
        for (int p = 0; p < a.length; p++) {
            if (Math.abs(a[p][0] - b[p][0]) > pixels || Math.abs(a[p][1] - b[p][1]) > pixels) {
                return false;
            }
        }
        return true;
    }

    private static String describe(ResultLine line) {
        return ReportWriter.quote(line.text()) + " " + String.format("%.3f", line.confidence()) + " angle "
                + line.angle() + " " + Arrays.deepToString(line.box());
    }
}
