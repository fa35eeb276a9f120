package dev.asyncocr.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.ocr.OcrLine;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrResult;
import dev.asyncocr.ocr.Tuning;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation loop and its reports, with a fake pipeline that answers by image content. */
class EvaluationTest {

    private static final int[][] BOX = {{0, 0}, {10, 0}, {10, 5}, {0, 5}};

    @TempDir
    Path dir;

    private final List<OcrOptions> calls = new ArrayList<>();

    /** The "image" is the text to return, one line per text line; "reject" and "boom" throw. */
    private OcrResult fake(byte[] image, OcrOptions options) {
        calls.add(options);
        String content = new String(image, StandardCharsets.UTF_8);
        if (content.equals("reject")) {
            throw new ImageRejectedException(ImageRejectedException.Reason.UNDECODABLE, "cannot decode image");
        }
        if (content.equals("boom")) {
            throw new IllegalStateException("boom");
        }
        List<OcrLine> lines = content.isEmpty() ? List.of()
                : content.lines().map(t -> new OcrLine(options.rec() ? t : null, 0.9, BOX, options.cls() ? 0 : null, List.of()))
                .toList();
        return new OcrResult(10, 5, lines, Map.of("det", 2.0, "rec", 4.0, "total", 7.0), Tuning.DEFAULT);
    }

    @BeforeEach
    void cases() throws IOException {
        Path good = Files.createDirectories(dir.resolve("eval/good"));
        Files.writeString(good.resolve("cases.json"), """
                {"source": "fake", "cases": [
                 {"file": "sign.png", "mode": "full", "compare": "casefold",
                  "expect": {"words": ["愚园路", "Yuyuan Rd."], "boxes": 2}},
                 {"file": "doc.png", "mode": "det+rec", "expect": {"lines": ["电话：1", "abc"]}}
                ]}""");
        Files.writeString(good.resolve("sign.png"), "愚园路\nYUYUAN RD.");
        Files.writeString(good.resolve("doc.png"), "电话:1\nabc");
        Path bad = Files.createDirectories(dir.resolve("eval/bad"));
        Files.writeString(bad.resolve("cases.json"), """
                {"cases": [
                 {"file": "word.png", "mode": "rec", "expect": {"first_line": "韩国小馆"}},
                 {"file": "reject.png", "mode": "full", "expect": {"boxes": 0}},
                 {"file": "boom.png", "mode": "full", "expect": {"boxes": 0}},
                 {"file": "missing.png", "mode": "det", "expect": {"boxes": 0}}
                ]}""");
        Files.writeString(bad.resolve("word.png"), "韩国小官");
        Files.writeString(bad.resolve("reject.png"), "reject");
        Files.writeString(bad.resolve("boom.png"), "boom");
    }

    @Test
    void runsEveryCaseWithItsModeAndChecksIt() {
        EvalReport report = Evaluation.run(this::fake, List.of(dir.resolve("eval")));

        assertEquals(List.of("bad", "good"), report.sets().stream().map(SetReport::name).toList());
        assertEquals(List.of(new OcrOptions(false, false, true), OcrOptions.ALL, OcrOptions.ALL,
                OcrOptions.ALL, new OcrOptions(true, false, true)), calls, "missing.png never reaches the pipeline");
        SetReport good = report.set("good").orElseThrow();
        assertEquals(2, good.summary().passed());
        assertEquals(0.0, good.summary().meanCer());
        assertEquals(1, good.summary().cerCases());
        assertEquals(1.0, good.summary().wordRecall());
        assertEquals(4.0, good.summary().stageMs().get("rec"));
        assertEquals(List.of("det", "rec", "total"), List.copyOf(good.summary().stageMs().keySet()));

        SetReport bad = report.set("bad").orElseThrow();
        assertEquals(0, bad.summary().passed());
        assertEquals(4, bad.summary().failed());
        CaseResult word = bad.cases().get(0);
        assertEquals("韩国小官", word.failedChecks().get(0).actual());
        assertTrue(bad.cases().get(1).error().contains("UNDECODABLE"), bad.cases().get(1).error());
        assertTrue(bad.cases().get(2).error().contains("boom"), bad.cases().get(2).error());
        assertTrue(bad.cases().get(3).error().contains("missing.png"), bad.cases().get(3).error());
        assertNull(bad.summary().meanCer());

        assertEquals(2, report.overall().passed());
        assertEquals(4, report.overall().failed());
        assertEquals(6, report.overall().total());
        assertEquals("2 passed, 4 failed", report.verdictLine());
    }

    @Test
    void textReportShowsFailuresAndEndsWithTheVerdict() {
        String text = ReportWriter.text(Evaluation.run(this::fake, List.of(dir.resolve("eval"))));
        List<String> lines = text.lines().toList();
        assertEquals("2 passed, 4 failed", lines.get(lines.size() - 1));
        assertTrue(text.contains("first_line: expected \"韩国小馆\", got \"韩国小官\""), text);
        assertTrue(text.contains("FAIL reject.png [full]"), text);
        assertTrue(text.contains("PASS sign.png [full]"), text);
        assertTrue(text.contains("mean CER 0.0000 over 1 case"), text);
        assertTrue(text.contains("word recall 1.000 over 1 case"), text);
        assertTrue(text.contains("bad/word.png [rec]: first_line expected \"韩国小馆\" got \"韩国小官\""), text);
    }

    @Test
    void allPassingEndsWithZeroFailed() {
        String text = ReportWriter.text(Evaluation.run(this::fake, List.of(dir.resolve("eval/good"))));
        assertTrue(text.endsWith("\n2 passed, 0 failed\n"), text);
        assertFalse(text.contains("Failures:"), text);
    }

    @Test
    void jsonReportHoldsTheSameFacts() throws IOException {
        Path json = dir.resolve("out/report.json");
        Evaluation.writeJson(Evaluation.run(this::fake, List.of(dir.resolve("eval"))), json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.at("/overall/passed").asInt());
        assertEquals(4, root.at("/overall/failed").asInt());
        assertEquals("bad", root.at("/sets/0/name").asText());
        assertEquals("first_line", root.at("/sets/0/cases/0/checks/0/key").asText());
        assertEquals("韩国小官", root.at("/sets/0/cases/0/checks/0/actual").asText());
        assertEquals("casefold", root.at("/sets/1/cases/0/compare").asText());
        assertEquals(1.0, root.at("/sets/1/cases/0/wordRecall").asDouble());
        assertEquals(0.0, root.at("/sets/1/summary/meanCer").asDouble());
    }

    @Test
    void aMalformedCaseFileStopsTheRunBeforeAnyCase() throws IOException {
        Path typo = Files.createDirectories(dir.resolve("typo"));
        Files.writeString(typo.resolve("cases.json"),
                "{\"cases\": [{\"file\": \"a.png\", \"mode\": \"full\", \"expect\": {\"box\": 1}}]}");
        assertThrows(CaseSetException.class, () -> Evaluation.run(this::fake, List.of(dir.resolve("eval"), typo)));
        assertTrue(calls.isEmpty());
    }

    @Test
    void commandLineErrorsExitWithTwoBeforeLoadingModels() {
        assertEquals(Evaluation.EXIT_UNUSABLE, execute());
        assertEquals(Evaluation.EXIT_UNUSABLE, execute("--json"));
        assertEquals(Evaluation.EXIT_UNUSABLE, execute("--threads", "-1", "x"));
        assertEquals(Evaluation.EXIT_UNUSABLE, execute("--frobnicate", "x"));
        assertEquals(Evaluation.EXIT_UNUSABLE, execute("--device", "tpu", "x"));
        assertEquals(Evaluation.EXIT_UNUSABLE, execute(dir.resolve("nothing-here").toString()));
        assertEquals(Evaluation.EXIT_PASSED, execute("--help"));
    }

    @Test
    void theDeviceIsChosenOnTheCommandLine() {
        assertEquals(EngineOptions.cpu(2).on(Device.GPU),
                Evaluation.Arguments.parse(new String[] {"--device", "GPU", "--threads", "2", "x"}).engine());
        assertEquals(EngineOptions.cpu(0), Evaluation.Arguments.parse(new String[] {"x"}).engine());
    }

    private static int execute(String... args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return Evaluation.execute(args, sink, sink);
    }
}
