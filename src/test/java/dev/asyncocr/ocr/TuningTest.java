package dev.asyncocr.ocr;

import dev.asyncocr.testing.BundledPipeline;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.Color;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's settings change what the pipeline answers as documented (README, {@code POST /ocr}), and
 * only for that request: unset ones are the pipeline's defaults, and the result says which values ran.
 */
class TuningTest {

    @RegisterExtension
    static final BundledPipeline PIPELINE = new BundledPipeline();

    /** Three lines: black, grey and light grey. */
    private static final byte[] PAGE = DrawnPage.png(900, 330, g -> {
        g.drawString("Invoice 2026-0042", 30, 90);
        g.setColor(new Color(110, 110, 110));
        g.drawString("Total due 318.40", 30, 190);
        g.setColor(new Color(200, 200, 200));
        g.drawString("Thank you", 30, 290);
    });

    private static OcrResult read(byte[] image, Tuning tuning) {
        return PIPELINE.read(image, new OcrOptions(true, false, true, tuning));
    }

    private static Tuning tuning(DetectionSize detSize, Double detThresh, Double boxThresh, Double unclipRatio,
            Double minConfidence) {
        return new Tuning(detSize, detThresh, boxThresh, unclipRatio, minConfidence);
    }

    @Test
    void unsetSettingsAreTheDefaultsAndTheResultSaysWhichRan() {
        assertEquals(Tuning.DEFAULT, read(PAGE, Tuning.NONE).tuning());
        Tuning some = tuning(null, 0.4, null, 2.0, null);
        assertEquals(new Tuning(DetectionSize.DEFAULT, 0.4, 0.5, 2.0, 0.5), read(PAGE, some).tuning());
    }

    @Test
    void theDrawnPageReadsAtTheDefaults() {
        OcrResult result = read(PAGE, Tuning.NONE);
        assertEquals(3, result.lines().size(), () -> "lines: " + result.text());
    }

    @Test
    void aPixelThresholdOfOneFindsNoText() {
        assertTrue(read(PAGE, tuning(null, 1.0, null, null, null)).lines().isEmpty());
    }

    @Test
    void aHighBoxThresholdDropsTheDoubtfulBoxes() {
        int usual = read(PAGE, Tuning.NONE).lines().size();
        OcrResult strict = read(PAGE, tuning(null, null, 0.9, null, null));
        assertTrue(strict.lines().size() < usual, () -> "box_thresh 0.9 kept " + strict.lines().size() + " of " + usual);
    }

    @Test
    void aLargerUnclipRatioGivesLargerBoxes() {
        List<OcrLine> usual = read(PAGE, Tuning.NONE).lines();
        List<OcrLine> grown = read(PAGE, tuning(null, null, null, 2.5, null)).lines();
        assertEquals(usual.size(), grown.size());
        for (int i = 0; i < usual.size(); i++) {
            int[][] a = usual.get(i).box();
            int[][] b = grown.get(i).box();
            assertTrue(b[0][1] < a[0][1] && b[2][1] > a[2][1] && b[0][0] <= a[0][0],
                    "line " + i + ": " + List.of(a) + " grew to " + List.of(b));
        }
    }

    /** The RapidOCR sample's 18 lines, some recognised with less than 0.99 confidence. */
    @Test
    void aHigherMinConfidenceDropsTheLinesBelowIt() throws Exception {
        byte[] sample = Files.readAllBytes(SharedData.require("eval/rapidocr/ch_en_num.jpg"));
        List<OcrLine> usual = read(sample, Tuning.NONE).lines();
        List<OcrLine> sure = read(sample, tuning(null, null, null, null, 0.99)).lines();

        List<String> expected = usual.stream().filter(line -> line.confidence() >= 0.99).map(OcrLine::text).toList();
        assertEquals(expected, sure.stream().map(OcrLine::text).toList());
        assertTrue(sure.size() < usual.size(), () -> "no line of " + usual.size() + " is under 0.99");
        assertFalse(sure.isEmpty());
    }

    /** A micro-batch mixes requests with different settings: each reads as it would alone. */
    @Test
    void eachRequestOfABatchKeepsItsOwnSettings() {
        List<OcrOptions> options = List.of(OcrOptions.ALL,
                new OcrOptions(true, true, true, tuning(DetectionSize.parse("max:320"), 0.5, 0.7, 2.0, 0.9)),
                new OcrOptions(true, true, true, tuning(null, 1.0, null, null, null)));
        List<OcrPipeline.Outcome> together = PIPELINE.readAll(
                options.stream().map(o -> new OcrPipeline.Request(PAGE, o)).toList());

        for (int i = 0; i < options.size(); i++) {
            OcrResult alone = PIPELINE.read(PAGE, options.get(i));
            OcrResult batched = together.get(i).get();
            assertEquals(alone.tuning(), batched.tuning());
            assertEquals(alone.text(), batched.text(), "request " + i);
            assertEquals(alone.lines().size(), batched.lines().size());
            for (int l = 0; l < alone.lines().size(); l++) {
                assertArrayEquals(alone.lines().get(l).box(), batched.lines().get(l).box(), "request " + i);
            }
        }
        assertTrue(together.get(2).get().lines().isEmpty());
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> tuning(null, 1.5, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> tuning(null, null, -0.1, null, null));
        assertThrows(IllegalArgumentException.class, () -> tuning(null, null, null, 0.5, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tuning(null, null, null, null, Double.NaN));
        assertEquals("min_confidence is NaN: it must be from 0 to 1", e.getMessage());
    }
}
