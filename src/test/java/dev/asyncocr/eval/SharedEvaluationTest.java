package dev.asyncocr.eval;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The acceptance run: the team's evaluation cases ({@code ../shared/eval}) through the real pipeline
 * with the bundled models. Skips where the shared data is absent (fails on CI).
 */
class SharedEvaluationTest {

    /**
     * Cases the peer asserted for other recognition models (shared/eval/README.md): reported, not asserted.
     */
    private static final Set<String> STRETCH = Set.of("ch_doc_server.png", "en_rec.jpg");

    /**
     * A case whose expectation contradicts another: text_cls_2024.jpg stores upright pixels with EXIF
     * orientation 3 (rotate 180), and its expected angle 0 came from a reference that ignored the tag. Honouring
     * EXIF, as img_exif_orientation.jpg (same tag, upside-down pixels) requires, the image is upside down and
     * the classifier rightly answers 180; the same file's cls+rec case (韩国小馆) is asserted and passes.
     */
    private static final String CONTRADICTED = "rapidocr/text_cls_2024.jpg [cls]";

    private static Models models;
    private static EvalReport report;

    @BeforeAll
    static void runTheSharedCases() {
        Path eval = SharedData.require("eval");
        models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(0));
        OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(Evaluation.DEFAULT_MAX_PIXELS));
        report = Evaluation.run(pipeline, List.of(eval));
        System.out.print(ReportWriter.text(report));
    }

    @AfterAll
    static void closeModels() {
        if (models != null) {
            models.close();
        }
    }

    @Test
    void everyRapidOcrCasePassesExceptTheStretchCases() {
        SetReport set = set("rapidocr", 20);
        assertNoFailures(set.cases().stream()
                .filter(c -> !STRETCH.contains(c.file()) && !c.id().equals(CONTRADICTED)).toList());
    }

    @Test
    void theContradictedCaseReadsTheImageAsDisplayed() {
        CaseResult contradicted = set("rapidocr", 20).cases().stream()
                .filter(c -> c.id().equals(CONTRADICTED)).findFirst().orElseThrow();
        assertEquals(1, contradicted.lines().size(), () -> describe(contradicted));
        assertEquals(Integer.valueOf(180), contradicted.lines().get(0).angle(), () -> describe(contradicted));
    }

    @Test
    void stretchCasesAreReported() {
        List<CaseResult> stretch = set("rapidocr", 20).cases().stream()
                .filter(c -> STRETCH.contains(c.file())).toList();
        assertEquals(STRETCH.size(), stretch.size(), "both stretch cases are in the rapidocr set");
        stretch.forEach(c -> System.out.println("stretch case " + c.id() + ": "
                + (c.passed() ? "passes" : "fails: " + describe(c))));
    }

    @Test
    void everyPaddleOcrDocsCasePasses() {
        assertNoFailures(set("paddleocr-docs", 10).cases());
    }

    @Test
    void theEasyOcrCasePasses() {
        assertNoFailures(set("easyocr", 1).cases());
    }

    private static SetReport set(String name, int cases) {
        SetReport set = report.set(name).orElseGet(() -> fail("no case set " + name + " under " + SharedData.root()));
        assertEquals(cases, set.cases().size(), name + " cases (shared/eval/README.md)");
        return set;
    }

    private static void assertNoFailures(List<CaseResult> cases) {
        List<String> failures = cases.stream().filter(c -> !c.passed()).map(c -> c.id() + ": " + describe(c)).toList();
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                + String.join("\n", failures));
    }

    private static String describe(CaseResult c) {
        if (c.error() != null) {
            return c.error();
        }
        StringBuilder sb = new StringBuilder();
        for (CheckResult check : c.failedChecks()) {
            sb.append(check.key()).append(" expected ").append(ReportWriter.quote(check.expected()))
                    .append(" got ").append(check.actual() == null ? "nothing" : ReportWriter.quote(check.actual()));
            if (check.detail() != null) {
                sb.append(" (").append(check.detail()).append(')');
            }
            sb.append("; ");
        }
        sb.append(c.boxes()).append(" boxes, first lines ")
                .append(c.lines().stream().limit(3).map(l -> l.text() == null ? "(no text)" : ReportWriter.quote(l.text()))
                        .toList());
        return sb.toString();
    }
}
