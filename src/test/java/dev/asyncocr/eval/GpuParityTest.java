package dev.asyncocr.eval;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU against the CPU on the shared evaluation: the same verdict for every case and the same lines
 * (text equal, corners within {@value #BOX_PIXELS} px, confidence within {@value #CONFIDENCE}). Needs the
 * {@code -Pgpu} build on a machine with an NVIDIA GPU; skips with that message elsewhere (CI has no GPU).
 * Prints the images/s of each device: a figure for the README, not an assertion.
 */
class GpuParityTest {

    static final int BOX_PIXELS = 2;
    static final double CONFIDENCE = 0.01;

    @Test
    void theGpuReadsWhatTheCpuReads() {
        assumeTrue(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "ONNX Runtime has no CUDA provider: run ./mvnw -Pgpu on a machine with an NVIDIA GPU for this test");
        try (Models gpu = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(0).on(Device.GPU))) {
            assumeTrue(gpu.device().equals("GPU"), "no usable CUDA GPU here: the models fell back to the CPU");
            Path eval = SharedData.require("eval");
            try (Models cpu = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(0))) {
                List<CaseResult> onCpu = run(cpu, eval);
                List<String> differences = CaseDifferences.between(onCpu, run(gpu, eval), BOX_PIXELS, CONFIDENCE);
                assertTrue(differences.isEmpty(), differences.size() + " of " + onCpu.size()
                        + " cases differ between CPU (first) and GPU (then):\n" + String.join("\n", differences));
            }
        }
    }

    /** Runs every case twice (the first warms the device up) and prints the second run's images/s. */
    private static List<CaseResult> run(Models models, Path eval) {
        OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(Evaluation.DEFAULT_MAX_PIXELS));
        Evaluation.run(pipeline, List.of(eval));
        long start = System.nanoTime();
        List<CaseResult> cases = CaseDifferences.cases(Evaluation.run(pipeline, List.of(eval)));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d cases in %.2f s, %.1f images/s%n", models.device(), cases.size(), seconds,
                cases.size() / seconds);
        return cases;
    }
}
