package dev.asyncocr.eval;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.BundledV3Detector;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.ModelStage;
import dev.asyncocr.inference.Models;
import dev.asyncocr.inference.Predictor;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paddle Inference against ONNX Runtime on the same models, the same images and the same threads:
 * PP-OCRv3 det and the v2.0 direction classifier in Paddle format (from PADDLE_DIR, as in
 * {@code ../shared/models/paddle}) and their ONNX exports (bundled). Recognition runs on ONNX Runtime in
 * both, as no Paddle-format recogniser is at hand. The engines take turns image by image, so that both
 * see the machine in the same state. Prints per-stage milliseconds; a measurement, not a test.
 *
 * <pre>
 * EngineBenchmark [--rounds N] [--threads T] PADDLE_DIR FOLDER...
 * </pre>
 */
public final class EngineBenchmark {

    private EngineBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> paths.add(Path.of(args[i]));
            }
        }
        if (paths.size() < 2 || rounds < 1 || threads < 1) {
            System.err.println("Usage: EngineBenchmark [--rounds N >= 1] [--threads T >= 1] PADDLE_DIR FOLDER...");
            System.exit(2);
        }
        Path paddleDir = paths.get(0);
        List<byte[]> images = Benchmark.images(paths.subList(1, paths.size()));
        EngineOptions engine = EngineOptions.cpu(threads);
        ImageDecoder decoder = new ImageDecoder(Evaluation.DEFAULT_MAX_PIXELS);
        try (Models bundled = ModelLoader.load(ModelLocations.bundled(), engine);
             Predictor v3Detector = BundledV3Detector.load(engine);
             Models paddle = ModelLoader.load(ModelLocations.bundled()
                     .with(ModelStage.DET, paddleDir.resolve("ch_PP-OCRv3_det"))
                     .with(ModelStage.CLS, paddleDir.resolve("ch_ppocr_mobile_v2.0_cls")), engine)) {
            Map<String, OcrPipeline> engines = new LinkedHashMap<>();
            engines.put("ONNX Runtime", new OcrPipeline(new Models(v3Detector, bundled.cls(), bundled.rec(),
                    bundled.dictionary(), "PP-OCRv3 det + v2.0 cls on ONNX Runtime"), decoder));
            engines.put("Paddle Inference", new OcrPipeline(paddle, decoder));
            engines.values().forEach(pipeline -> images.forEach(image -> pipeline.run(image, OcrOptions.ALL)));

            Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();
            engines.keySet().forEach(name -> samples.put(name, new LinkedHashMap<>()));
            List<String> order = new ArrayList<>(engines.keySet());
            for (int round = 0; round < rounds; round++) {
                for (byte[] image : images) {
                    for (String name : order) {
                        engines.get(name).run(image, OcrOptions.ALL).timingsMs().forEach((stage, ms) ->
                                samples.get(name).computeIfAbsent(stage, s -> new ArrayList<>()).add(ms));
                    }
                    Collections.reverse(order);
                }
            }
            System.out.printf("%d images x %d rounds, %d intra-op threads on both engines, %d cores%n", images.size(),
                    rounds, threads, Runtime.getRuntime().availableProcessors());
            System.out.printf("%-6s %24s %24s %12s%n", "stage", "ONNX Runtime mean / p50", "Paddle mean / p50",
                    "Paddle / ORT");
            for (String stage : OcrResult.STAGES) {
                double[] onnx = sorted(samples.get("ONNX Runtime").get(stage));
                double[] pp = sorted(samples.get("Paddle Inference").get(stage));
                double onnxMean = Arrays.stream(onnx).average().orElse(0);
                double ppMean = Arrays.stream(pp).average().orElse(0);
                System.out.printf("%-6s %13.1f / %8.1f %13.1f / %8.1f %12.2f%n", stage, onnxMean,
                        Benchmark.percentile(onnx, 0.5), ppMean, Benchmark.percentile(pp, 0.5), ppMean / onnxMean);
            }
        }
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
