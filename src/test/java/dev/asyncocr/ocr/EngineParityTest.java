package dev.asyncocr.ocr;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.BundledV3Detector;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.paddle.PaddlePredictor;
import dev.asyncocr.testing.SharedData;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One model, two engines: PP-OCRv3 det in Paddle format ({@code ../shared/models/paddle}) on Paddle
 * Inference, and its ONNX export (bundled) on ONNX Runtime, fed the same tensor for each image, give
 * probability maps equal within {@value #TOLERANCE} and the same boxes.
 */
class EngineParityTest {

    /**
     * Each engine picks its float kernels for the CPU at hand, so the last digits move with the machine: the
     * largest difference seen is 9.4e-5 on one CI machine, 1.23e-4 ({@code en.jpg}) on an AMD EPYC with
     * AVX-512. The boxes, which are what the service answers with, must be identical everywhere.
     */
    static final float TOLERANCE = 5e-4f;
    /** The reference's geometry, at which the parity was measured. */
    private static final Tuning REFERENCE = Tuning.DEFAULT.withDetSize(DetectionSize.REFERENCE);

    private static Predictor paddle;
    private static Predictor onnx;
    private static final ImageDecoder DECODER = new ImageDecoder(40_000_000L);

    @BeforeAll
    static void loadBothEngines() throws Exception {
        Path folder = SharedData.require("models/paddle/ch_PP-OCRv3_det");
        paddle = new PaddlePredictor(folder, EngineOptions.cpu(2));
        onnx = BundledV3Detector.load(EngineOptions.cpu(2));
    }

    @AfterAll
    static void close() {
        if (paddle != null) {
            paddle.close();
        }
        if (onnx != null) {
            onnx.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rapidocr/ch_en_num.jpg", "rapidocr/en.jpg", "rapidocr/text_vertical_words.png",
            "rapidocr/empty_black.jpg", "paddleocr-docs/11.jpg"})
    void bothEnginesSeeTheSameText(String image) throws Exception {
        byte[] encoded = Files.readAllBytes(SharedData.require("eval/" + image));
        RecordingPredictor paddleMap = new RecordingPredictor(paddle);
        RecordingPredictor onnxMap = new RecordingPredictor(onnx);
        List<DbPostProcessor.ScoredQuad> paddleBoxes;
        List<DbPostProcessor.ScoredQuad> onnxBoxes;
        try (Mat decoded = DECODER.decode(encoded)) {
            paddleBoxes = new TextDetector(paddleMap).detect(decoded, REFERENCE);
            onnxBoxes = new TextDetector(onnxMap).detect(decoded, REFERENCE);
        }
        assertArrayEquals(onnxMap.lastOutput.shape(), paddleMap.lastOutput.shape());
        float[] a = paddleMap.lastOutput.data();
        float[] b = onnxMap.lastOutput.data();
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        System.out.printf("%s: %d boxes, largest probability difference %.2e%n", image, paddleBoxes.size(), worst);
        assertTrue(worst <= TOLERANCE, "probability maps differ by " + worst);
        assertEquals(onnxBoxes.size(), paddleBoxes.size());
        for (int i = 0; i < onnxBoxes.size(); i++) {
            assertArrayEquals(onnxBoxes.get(i).quad().xy(), paddleBoxes.get(i).quad().xy(), "box " + i);
        }
    }
}
