package dev.asyncocr.eval;

import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaseCheckTest {

    private static final int[][] BOX = {{0, 0}, {10, 0}, {10, 5}, {0, 5}};

    private static OcrLine line(String text) {
        return new OcrLine(text, 0.9, BOX, null, List.of());
    }

    private static OcrLine line(String text, Integer angle) {
        return new OcrLine(text, 0.9, BOX, angle, List.of());
    }

    private static OcrResult result(OcrLine... lines) {
        return new OcrResult(10, 5, Arrays.asList(lines), Map.of("total", 1.0), Tuning.DEFAULT);
    }

    private static OcrResult texts(String... texts) {
        return new OcrResult(10, 5, Arrays.stream(texts).map(CaseCheckTest::line).toList(), Map.of(), Tuning.DEFAULT);
    }

    private static Expectations expect() {
        return new Expectations(null, null, null, null, null, null, null, null, null);
    }

    private static Expectations boxes(int n) {
        return new Expectations(n, null, null, null, null, null, null, null, null);
    }

    private static Expectations minBoxes(int n) {
        return new Expectations(null, n, null, null, null, null, null, null, null);
    }

    private static Expectations lineCount(int n) {
        return new Expectations(null, null, n, null, null, null, null, null, null);
    }

    private static Expectations firstLine(String text) {
        return new Expectations(null, null, null, text, null, null, null, null, null);
    }

    private static Expectations prefix(String text) {
        return new Expectations(null, null, null, null, text, null, null, null, null);
    }

    private static Expectations angle(int angle) {
        return new Expectations(null, null, null, null, null, angle, null, null, null);
    }

    private static Expectations lines(String... lines) {
        return new Expectations(null, null, null, null, null, null, List.of(lines), null, null);
    }

    private static Expectations containsLines(String... lines) {
        return new Expectations(null, null, null, null, null, null, null, List.of(lines), null);
    }

    private static Expectations words(String... words) {
        return new Expectations(null, null, null, null, null, null, null, null, List.of(words));
    }

    private static CaseVerdict exact(Expectations expect, OcrResult result) {
        return CaseCheck.evaluate(expect, Compare.EXACT, result);
    }

    private static CaseVerdict casefold(Expectations expect, OcrResult result) {
        return CaseCheck.evaluate(expect, Compare.CASEFOLD, result);
    }

    private static CheckResult only(CaseVerdict verdict) {
        assertEquals(1, verdict.checks().size(), "one check per expect key");
        return verdict.checks().get(0);
    }

    @Test
    void boxesExactCountPasses() {
        CaseVerdict verdict = exact(boxes(3), texts("a", "b", "c"));
        assertTrue(verdict.passed());
        assertEquals("boxes", only(verdict).key());
        assertEquals("3", only(verdict).actual());
    }

    @Test
    void boxesOtherCountFails() {
        assertFalse(exact(boxes(18), texts("a", "b")).passed());
        assertFalse(exact(boxes(1), texts("a", "b")).passed());
    }

    @Test
    void boxesZeroMeansNothingFound() {
        assertTrue(exact(boxes(0), result()).passed());
        assertFalse(exact(boxes(0), texts("noise")).passed());
    }

    @Test
    void boxesLinesWithoutTextStillCountAsBoxes() {
        assertTrue(exact(boxes(2), result(line(null), line(null))).passed());
    }

    @Test
    void boxesMinBoxesIsALowerBound() {
        assertTrue(exact(minBoxes(2), texts("a", "b")).passed());
        assertTrue(exact(minBoxes(2), texts("a", "b", "c")).passed());
        assertFalse(exact(minBoxes(2), texts("a")).passed());
        assertEquals(">= 2", only(exact(minBoxes(2), texts("a"))).expected());
    }

    @Test
    void lineCountCountsRecognisedLines() {
        assertTrue(exact(lineCount(2), texts("a", "b")).passed());
        assertFalse(exact(lineCount(1), texts("a", "b")).passed());
        assertFalse(exact(lineCount(3), texts("a", "b")).passed());
    }

    @Test
    void lineCountLinesWithoutTextAreNotRecognised() {
        CheckResult check = only(exact(lineCount(2), result(line(null), line(null))));
        assertFalse(check.passed());
        assertEquals("0", check.actual());
        assertNotNull(check.detail());
    }

    @Test
    void firstLineIsTheFirstInTheResultsOrder() {
        assertTrue(exact(firstLine("正品促销"), texts("正品促销", "其他")).passed());
        assertFalse(exact(firstLine("其他"), texts("正品促销", "其他")).passed());
    }

    @Test
    void firstLineExactIsCaseSensitive() {
        assertFalse(exact(firstLine("TEST"), texts("Test")).passed());
        assertTrue(casefold(firstLine("TEST"), texts("Test")).passed());
    }

    @Test
    void firstLineFullWidthColonEqualsAsciiColon() {
        assertTrue(exact(firstLine("电话：15952301928"), texts("电话:15952301928")).passed());
        assertTrue(exact(firstLine("电话:15952301928"), texts("电话：15952301928")).passed());
        assertFalse(exact(firstLine("电话：15952301928"), texts("电话;15952301928")).passed());
    }

    @Test
    void firstLineSpacesAreSignificant() {
        assertFalse(casefold(firstLine("Yuyuan Rd."), texts("YuyuanRd.")).passed());
        assertFalse(exact(firstLine("joint"), texts("joint ")).passed());
    }

    @Test
    void firstLineReportsTheTextAsProduced() {
        CheckResult check = only(exact(firstLine("韩国小馆"), texts("韩国小官")));
        assertFalse(check.passed());
        assertEquals("韩国小馆", check.expected());
        assertEquals("韩国小官", check.actual());
    }

    @Test
    void firstLineNoLinesFails() {
        CheckResult check = only(exact(firstLine("我是中国人"), result()));
        assertFalse(check.passed());
        assertNull(check.actual());
    }

    @Test
    void firstLineNoTextFails() {
        assertFalse(exact(firstLine("我是中国人"), result(line(null))).passed());
    }

    @Test
    void firstLinePrefix() {
        assertTrue(exact(prefix("3F1"), texts("3F1 商业中心", "x")).passed());
        assertTrue(exact(prefix("3F1"), texts("3F1")).passed());
        assertFalse(exact(prefix("3F1"), texts("X3F1")).passed());
        assertFalse(exact(prefix("3F1"), texts("x", "3F1")).passed());
        assertFalse(exact(prefix("3f1"), texts("3F1")).passed());
        assertTrue(casefold(prefix("3f1"), texts("3F1")).passed());
        assertFalse(exact(prefix("3"), result()).passed());
        assertFalse(exact(prefix("3"), result(line(null))).passed());
    }

    @Test
    void angleMatchesTheClassifiersLabel() {
        assertTrue(exact(angle(180), result(line(null, 180))).passed());
        assertTrue(exact(angle(0), result(line("怪我咯", 0))).passed());
        assertFalse(exact(angle(0), result(line(null, 180))).passed());
        assertFalse(exact(angle(180), result(line(null, 0))).passed());
    }

    @Test
    void angleClassifierThatDidNotRunFails() {
        CheckResult check = only(exact(angle(0), result(line("x", null))));
        assertFalse(check.passed());
        assertNotNull(check.detail());
    }

    @Test
    void angleNoLinesFails() {
        assertFalse(exact(angle(0), result()).passed());
    }

    @Test
    void linesIdenticalLinesHaveNoErrors() {
        CaseVerdict verdict = exact(lines("纯臻营养护发素", "产品信息/参数"), texts("纯臻营养护发素", "产品信息/参数"));
        assertTrue(verdict.passed());
        assertEquals(0.0, verdict.cer());
    }

    @Test
    void linesPassesAtACerOfOneTenth() {
        // "0123456789\nabcdefghi" is 20 code points with the line break: two edits are 0.1
        CaseVerdict verdict = exact(lines("0123456789", "abcdefghi"), texts("0123456789", "abcdefgXX"));
        assertEquals(0.1, verdict.cer(), 1e-12);
        assertTrue(verdict.passed());
    }

    @Test
    void linesFailsAboveOneTenth() {
        CaseVerdict verdict = exact(lines("0123456789", "abcdefghi"), texts("0123456789", "abcdefXXX"));
        assertEquals(0.15, verdict.cer(), 1e-12);
        assertFalse(verdict.passed());
        assertTrue(only(verdict).detail().contains("0.1500"), only(verdict).detail());
    }

    @Test
    void linesAMissingLineCounts() {
        CaseVerdict verdict = exact(lines("纯臻营养护发素", "产品信息/参数"), texts("纯臻营养护发素"));
        // the line break and 7 characters are missing out of 15
        assertEquals(8.0 / 15, verdict.cer(), 1e-12);
        assertFalse(verdict.passed());
    }

    @Test
    void linesInAnotherOrderCount() {
        assertFalse(exact(lines("纯臻营养护发素", "产品信息/参数"), texts("产品信息/参数", "纯臻营养护发素")).passed());
    }

    @Test
    void linesNothingRecognisedIsACerOfOne() {
        CaseVerdict verdict = exact(lines("abc"), result());
        assertEquals(1.0, verdict.cer(), 1e-12);
        assertFalse(verdict.passed());
    }

    @Test
    void linesNormalisedBeforeMeasuring() {
        CaseVerdict exact = exact(lines("（成品包材）", "ODMOEM"), texts("(成品包材)", "odmoem"));
        assertEquals(6.0 / 13, exact.cer(), 1e-12);
        CaseVerdict casefold = casefold(lines("（成品包材）", "ODMOEM"), texts("(成品包材)", "odmoem"));
        assertEquals(0.0, casefold.cer());
        assertTrue(casefold.passed());
    }

    @Test
    void linesCasesWithoutLinesHaveNoCer() {
        assertNull(exact(boxes(1), texts("a")).cer());
    }

    @Test
    void containsLinesEveryLineMustEqualARecognisedLine() {
        assertTrue(exact(containsLines("ODMOEM", "（成品包材）"), texts("a", "(成品包材)", "ODMOEM")).passed());
    }

    @Test
    void containsLinesAMissingLineFailsAndIsNamed() {
        CheckResult check = only(exact(containsLines("ODMOEM", "发足够的滋养"), texts("ODMOEM", "b")));
        assertFalse(check.passed());
        assertTrue(check.detail().contains("发足够的滋养"), check.detail());
        assertFalse(check.detail().contains("\"ODMOEM\""), check.detail());
    }

    @Test
    void containsLinesASubstringOfALineIsNotEnough() {
        assertFalse(exact(containsLines("ODM"), texts("ODMOEM")).passed());
        assertFalse(exact(containsLines("ODMOEM ODM"), texts("ODMOEM", "ODM")).passed());
    }

    @Test
    void containsLinesCaseFollowsTheCompareMode() {
        assertFalse(exact(containsLines("odmoem"), texts("ODMOEM")).passed());
        assertTrue(casefold(containsLines("odmoem"), texts("ODMOEM")).passed());
    }

    @Test
    void wordsAllFound() {
        CaseVerdict verdict = casefold(words("愚园路", "西", "315", "Yuyuan Rd."), texts("愚园路", "西", "315", "Yuyuan Rd."));
        assertTrue(verdict.passed());
        assertEquals(1.0, verdict.wordRecall());
    }

    @Test
    void wordsPassesAtFourFifths() {
        CaseVerdict verdict = exact(words("a", "b", "c", "d", "e"), texts("a b", "c d"));
        assertEquals(0.8, verdict.wordRecall(), 1e-12);
        assertTrue(verdict.passed());
    }

    @Test
    void wordsFailsBelowFourFifths() {
        CaseVerdict verdict = exact(words("a", "b", "c", "d", "e"), texts("a b", "c"));
        assertEquals(0.6, verdict.wordRecall(), 1e-12);
        assertFalse(verdict.passed());
        assertTrue(only(verdict).detail().contains("\"d\", \"e\""), only(verdict).detail());
    }

    @Test
    void wordsSubstringsOfLinesCount() {
        assertTrue(casefold(words("yuyuan rd.", "315"), texts("愚园路 Yuyuan Rd. 315号")).passed());
    }

    @Test
    void wordsCaseAndWidthFollowTheCompareMode() {
        assertEquals(0.0, exact(words("yuyuan"), texts("Yuyuan Rd.")).wordRecall());
        assertEquals(1.0, casefold(words("yuyuan"), texts("Yuyuan Rd.")).wordRecall());
        assertEquals(1.0, exact(words("315"), texts("３１５")).wordRecall());
    }

    @Test
    void wordsNothingRecognised() {
        CaseVerdict verdict = exact(words("W", "E"), result(line(null)));
        assertEquals(0.0, verdict.wordRecall());
        assertFalse(verdict.passed());
    }

    @Test
    void everyKeyMustHold() {
        Expectations both = new Expectations(18, 17, null, "正品促销", null, null, null, null, null);
        OcrResult eighteen = new OcrResult(10, 5, java.util.stream.IntStream.range(0, 18)
                .mapToObj(i -> line(i == 0 ? "正品促销" : "x" + i)).toList(), Map.of(), Tuning.DEFAULT);
        CaseVerdict verdict = exact(both, eighteen);
        assertEquals(List.of("boxes", "min_boxes", "first_line"), verdict.checks().stream().map(CheckResult::key).toList());
        assertTrue(verdict.passed());

        OcrResult seventeen = new OcrResult(10, 5, eighteen.lines().subList(0, 17), Map.of(), Tuning.DEFAULT);
        CaseVerdict fewer = exact(both, seventeen);
        assertFalse(fewer.passed());
        assertEquals(List.of("boxes"), fewer.checks().stream().filter(c -> !c.passed()).map(CheckResult::key).toList());
    }

    @Test
    void noKeysNoChecks() {
        assertTrue(exact(expect(), texts("a")).checks().isEmpty());
        assertFalse(expect().problems().isEmpty(), "a case without expect keys is rejected when loaded");
    }
}
