package dev.asyncocr.eval;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Checks a pipeline result against a case's expectations, key by key, as {@code shared/eval/README.md}
 * defines them. Strings are compared in the case's {@link Compare} form; the result's lines are taken
 * in the order the pipeline returns them, which its contract says is reading order.
 */
public final class CaseCheck {

    private CaseCheck() {
    }

    public static CaseVerdict evaluate(Expectations expect, Compare compare, OcrResult result) {
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(compare, "compare");
        List<OcrLine> lines = result.lines();
        List<String> texts = lines.stream().map(OcrLine::text).filter(Objects::nonNull).toList();
        List<CheckResult> checks = new ArrayList<>();
        Double cer = null;
        Double recall = null;

        if (expect.boxes() != null) {
            checks.add(new CheckResult("boxes", lines.size() == expect.boxes(),
                    String.valueOf(expect.boxes()), String.valueOf(lines.size()), null));
        }
        if (expect.minBoxes() != null) {
            checks.add(new CheckResult("min_boxes", lines.size() >= expect.minBoxes(),
                    ">= " + expect.minBoxes(), String.valueOf(lines.size()), null));
        }
        if (expect.lineCount() != null) {
            String detail = texts.size() == lines.size() ? null
                    : lines.size() + " lines, " + (lines.size() - texts.size()) + " without text";
            checks.add(new CheckResult("line_count", texts.size() == expect.lineCount(),
                    String.valueOf(expect.lineCount()), String.valueOf(texts.size()), detail));
        }
        if (expect.firstLine() != null) {
            checks.add(firstLineCheck("first_line", expect.firstLine(), lines, compare,
                    (expected, actual) -> actual.equals(expected)));
        }
        if (expect.firstLinePrefix() != null) {
            checks.add(firstLineCheck("first_line_prefix", expect.firstLinePrefix(), lines, compare,
                    (expected, actual) -> actual.startsWith(expected)));
        }
        if (expect.angle() != null) {
            checks.add(angleCheck(expect.angle(), lines));
        }
        if (expect.lines() != null) {
            String expected = String.join("\n", expect.lines());
            String actual = String.join("\n", texts);
            String normalizedExpected = compare.normalize(expected);
            int distance = TextMetrics.editDistance(normalizedExpected, compare.normalize(actual));
            cer = TextMetrics.characterErrorRate(distance, normalizedExpected);
            checks.add(new CheckResult("lines", cer <= Expectations.MAX_CER, expected, actual,
                    String.format(Locale.ROOT, "CER %.4f (%d edits over %d characters; passes at <= %.2f)",
                            cer, distance, TextMetrics.length(normalizedExpected), Expectations.MAX_CER)));
        }
        if (expect.containsLines() != null) {
            Set<String> recognised = texts.stream().map(compare::normalize).collect(Collectors.toSet());
            List<String> missing = expect.containsLines().stream()
                    .filter(line -> !recognised.contains(compare.normalize(line))).toList();
            checks.add(new CheckResult("contains_lines", missing.isEmpty(),
                    String.join("\n", expect.containsLines()), String.join("\n", texts),
                    missing.isEmpty() ? null : "no recognised line equals " + quoteAll(missing)));
        }
        if (expect.words() != null) {
            String text = compare.normalize(String.join("\n", texts));
            List<String> normalized = expect.words().stream().map(compare::normalize).toList();
            recall = TextMetrics.wordRecall(normalized, text);
            List<String> missing = expect.words().stream()
                    .filter(word -> !text.contains(compare.normalize(word))).toList();
            checks.add(new CheckResult("words", recall >= Expectations.MIN_WORD_RECALL,
                    String.join(" | ", expect.words()), String.join("\n", texts),
                    String.format(Locale.ROOT, "recall %.3f (%d of %d found; passes at >= %.1f)%s", recall,
                            expect.words().size() - missing.size(), expect.words().size(),
                            Expectations.MIN_WORD_RECALL,
                            missing.isEmpty() ? "" : "; missing " + quoteAll(missing))));
        }
        return new CaseVerdict(checks, cer, recall);
    }

    private static CheckResult firstLineCheck(String key, String expected, List<OcrLine> lines, Compare compare,
                                              BiPredicate<String, String> test) {
        if (lines.isEmpty()) {
            return new CheckResult(key, false, expected, null, "no lines were found");
        }
        String actual = lines.get(0).text();
        if (actual == null) {
            return new CheckResult(key, false, expected, null, "the first line has no text (recognition did not run)");
        }
        return new CheckResult(key, test.test(compare.normalize(expected), compare.normalize(actual)),
                expected, actual, null);
    }

    private static CheckResult angleCheck(int expected, List<OcrLine> lines) {
        if (lines.isEmpty()) {
            return new CheckResult("angle", false, String.valueOf(expected), null, "no lines were found");
        }
        Integer actual = lines.get(0).angle();
        if (actual == null) {
            return new CheckResult("angle", false, String.valueOf(expected), null,
                    "the first line has no angle (the direction classifier did not run)");
        }
        return new CheckResult("angle", actual == expected, String.valueOf(expected), String.valueOf(actual), null);
    }

    private static String quoteAll(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
    }
}
