package dev.asyncocr.ocr;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.Images;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.testing.DrawnPage;
import dev.asyncocr.testing.SharedData;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pipeline's page geometry, with the bundled models on real and extreme images. */
class OcrPipelineTest {

    /** The service's default pixel limit, {@code ocr.api.max-pixels}. */
    static final long MAX_PIXELS = 40_000_000L;

    private static Models models;
    private static RecordingPredictor det;

    @BeforeAll
    static void load() {
        models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(0));
        det = new RecordingPredictor(models.det());
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static OcrPipeline pipeline(DetectionSize size) {
        Models recorded = new Models(det, models.cls(), models.rec(), models.dictionary(), models.source());
        return new OcrPipeline(recorded, new ImageDecoder(MAX_PIXELS), size);
    }

    @Test
    void withoutDetectionTheBoxIsTheWholeImage() throws Exception {
        byte[] wideLine = Files.readAllBytes(SharedData.require("eval/rapidocr/en_rec.jpg")); // 700 x 30
        OcrResult result = pipeline(DetectionSize.DEFAULT).run(wideLine, new OcrOptions(false, false, true));

        assertEquals(1, result.lines().size());
        assertFalse(result.lines().get(0).text().isBlank());
        assertArrayEquals(new int[][] {{0, 0}, {700, 0}, {700, 30}, {0, 30}}, result.lines().get(0).box());
    }

    /** A request's det_size decides the detector's input, whatever the pipeline's default. */
    @Test
    void aRequestsDetectionSizeScalesTheDetectorInput() {
        byte[] page = DrawnPage.png(900, 330, g -> g.drawString("Invoice 2026-0042", 30, 90));
        for (String size : List.of("max:320", "min:640")) {
            det.inputShapes.clear();
            OcrResult result = pipeline(DetectionSize.DEFAULT).run(page,
                    new OcrOptions(true, false, false, new Tuning(DetectionSize.parse(size), null, null, null, null)));

            assertEquals(DetectionSize.parse(size), result.tuning().detSize());
            assertEquals(1, det.inputShapes.size(), size);
            long[] input = det.inputShapes.get(0);
            assertEquals(size.equals("max:320") ? List.of(128L, 320L) : List.of(640L, 1760L),
                    List.of(input[2], input[3]), size + ": the detector's input, height and width");
        }
        det.inputShapes.clear();
        pipeline(DetectionSize.DEFAULT).run(page, new OcrOptions(true, false, false));
        assertEquals(List.of(320L, 896L), List.of(det.inputShapes.get(0)[2], det.inputShapes.get(0)[3]),
                "at the default text:32 the page is read at its own size");
    }

    /**
     * The detector's input is bounded whatever the page's shape, so that no accepted image costs more than
     * the largest square one: the thinnest and flattest images the pixel limit and the decoder allow
     * (libpng refuses a side over 1,000,000 pixels).
     */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1, 1000000", "1000000, 1", "40, 1000000", "1000000, 40", "6324, 6324"})
    void theDetectorInputIsBoundedForEveryShape(int width, int height) {
        byte[] png;
        try (Scalar white = new Scalar(255, 255, 255, 0); Mat page = new Mat(height, width, CV_8UC1, white)) {
            png = Images.encode(page, ".png");
        }
        for (DetectionSize size : List.of(DetectionSize.DEFAULT, DetectionSize.REFERENCE)) {
            det.inputShapes.clear();
            pipeline(size).run(png, OcrOptions.ALL);

            assertFalse(det.inputShapes.isEmpty());
            for (long[] shape : det.inputShapes) {
                long h = shape[2];
                long w = shape[3];
                String input = size + ": detector input " + w + " x " + h;
                assertTrue(w * h <= DetectionSize.MAX_INPUT_PIXELS, input);
                assertTrue(Math.max(w, h) <= DetectionSize.MAX_INPUT_SIDE, input);
            }
        }
    }
}
