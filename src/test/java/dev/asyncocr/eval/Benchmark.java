package dev.asyncocr.eval;

import dev.asyncocr.Sha256;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageHeader;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.inference.Device;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import dev.asyncocr.ocr.OcrResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Throughput and per-stage latency of the full pipeline ({@code det+cls+rec}) called directly, through
 * the one shared predictor as the service runs it, on the images under the folders: for tuning threads
 * and detection size. The service end to end, beside a peer, is {@code ThroughputBenchmark}'s.
 *
 * <pre>
 * Benchmark [--rounds N] [--concurrency C] [--device cpu|gpu] [--threads T] [--det-size S[,S...]] FOLDER...
 * </pre>
 * For each detection size in turn (one process, the models loaded once), every image is run once to warm
 * up, then {@code rounds} times over all images by {@code concurrency} callers at once. Prints images/s
 * and, per stage, mean, p50 and p95 milliseconds. A measurement, not a test.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int concurrency = 1;
        Device device = Device.CPU;
        int threads = 0;
        List<DetectionSize> detections = List.of(DetectionSize.DEFAULT);
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--device" -> device = Evaluation.Arguments.device(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--det-size" -> detections = Arrays.stream(args[++i].split(",")).map(DetectionSize::parse).toList();
                default -> folders.add(Path.of(args[i]));
            }
        }
        if (folders.isEmpty() || rounds < 1 || concurrency < 1) {
            System.err.println("Usage: Benchmark [--rounds N >= 1] [--concurrency C >= 1] [--device cpu|gpu] [--threads T]"
                    + " [--det-size min:N|max:N|text:N[,...]] FOLDER...");
            System.exit(2);
        }
        List<byte[]> images = images(folders);
        try (Models models = ModelLoader.load(ModelLocations.bundled(), EngineOptions.cpu(threads).on(device))) {
            for (DetectionSize detection : detections) {
                OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(Evaluation.DEFAULT_MAX_PIXELS), detection);
                images.forEach(image -> pipeline.run(image, OcrOptions.ALL));
                System.out.printf("%d images x %d rounds, concurrency %d, on %s, intra-op threads %s, detection %s, %d cores%n",
                        images.size(), rounds, concurrency, models.device(), threads == 0 ? "engine default" : threads,
                        detection, Runtime.getRuntime().availableProcessors());
                measure(image -> pipeline.run(image, OcrOptions.ALL).timingsMs(), OcrResult.STAGES, images, rounds,
                        concurrency);
            }
        }
    }

    private static void measure(Function<byte[], Map<String, Double>> call, List<String> timings, List<byte[]> images,
            int rounds, int concurrency) throws Exception {
        int runs = images.size() * rounds;
        Map<String, double[]> samples = new LinkedHashMap<>();
        timings.forEach(stage -> samples.put(stage, new double[runs]));
        AtomicInteger next = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                done.add(callers.submit(() -> {
                    for (int run = next.getAndIncrement(); run < runs; run = next.getAndIncrement()) {
                        Map<String, Double> measured = call.apply(images.get(run % images.size()));
                        for (String stage : timings) {
                            samples.get(stage)[run] = measured.getOrDefault(stage, 0.0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            callers.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("throughput: %.2f images/s (%d runs in %.1f s)%n", runs / seconds, runs, seconds);
        System.out.printf("%-8s %9s %9s %9s%n", "stage", "mean ms", "p50 ms", "p95 ms");
        samples.forEach((stage, values) -> {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            System.out.printf("%-8s %9.1f %9.1f %9.1f%n", stage, Arrays.stream(sorted).average().orElse(0),
                    percentile(sorted, 0.50), percentile(sorted, 0.95));
        });
    }

    /** The p-quantile of sorted samples (nearest rank). */
    public static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** Every distinct image (by content) in the folders and below, in path order. */
    public static List<byte[]> images(List<Path> folders) {
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (Path folder : folders) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    if (isImage(bytes)) {
                        images.putIfAbsent(Sha256.hex(bytes), bytes);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image under " + folders);
        }
        return List.copyOf(images.values());
    }

    private static boolean isImage(byte[] bytes) {
        try {
            ImageHeader.read(bytes);
            return true;
        } catch (ImageRejectedException e) {
            return false;
        }
    }
}
