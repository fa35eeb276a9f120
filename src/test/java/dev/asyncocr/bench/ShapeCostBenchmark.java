package dev.asyncocr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.asyncocr.eval.Benchmark;
import dev.asyncocr.ocr.DetectionSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a page's shape costs, in one run: the thinnest and flattest pages the pixel limit (40 MP) and the
 * PNG decoder (1,000,000 pixels a side) let through, beside the largest square, each in a JVM of its own (read
 * twice after the warm-up: milliseconds and peak RSS); then the memory that stays: RSS after the
 * extreme pages against RSS after as many ordinary ones (the first images under the folders).
 *
 * <pre>ShapeCostBenchmark [--det-size S] [--json FILE] FOLDER...</pre>
 */
public final class ShapeCostBenchmark {

    static final List<String> EXTREMES = List.of("1x1000000", "1000000x1", "40x1000000", "1000000x40");
    static final String LARGEST_SQUARE = "6324x6324";

    private ShapeCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DetectionSize detection = DetectionSize.DEFAULT;
        Path json = Path.of("bench/results/shapes-" + Instant.now().toString().substring(0, 10) + ".json");
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--det-size" -> detection = DetectionSize.parse(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> folders.add(Path.of(args[i]));
            }
        }
        Path work = Files.createDirectories(Path.of("target/bench"));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_at", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("detection_size", detection.toString());
        Map<String, Object> shapes = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(EXTREMES);
        all.add(LARGEST_SQUARE);
        for (String shape : all) {
            Map<String, Object> row = ThroughputBenchmark.child(ShapeRow.class, work.resolve("shape-" + shape + ".log"),
                    detection + " " + shape + " " + shape);
            shapes.put(shape, row);
            System.out.printf("%-12s ms %-20s peak RSS %7.1f MB%n", shape, row.get("ms"), row.get("peak_rss_mb"));
        }
        report.put("shapes", shapes);

        List<String> ordinary = new ArrayList<>();
        List<byte[]> images = Benchmark.images(folders);
        for (int i = 0; i < EXTREMES.size(); i++) {
            Path file = work.resolve("ordinary-" + i);
            Files.write(file, images.get(i));
            ordinary.add(file.toString());
        }
        Map<String, Object> afterOrdinary = ThroughputBenchmark.child(ShapeRow.class, work.resolve("ordinary.log"),
                detection + " " + String.join(" ", ordinary));
        Map<String, Object> afterExtremes = ThroughputBenchmark.child(ShapeRow.class, work.resolve("extremes.log"),
                detection + " " + String.join(" ", EXTREMES));
        double ratio = Latencies.round((double) afterExtremes.get("rss_mb") / (double) afterOrdinary.get("rss_mb"));
        report.put("rss_after_ordinary", afterOrdinary);
        report.put("rss_after_extremes", afterExtremes);
        report.put("rss_ratio_extremes_vs_ordinary", ratio);
        System.out.printf("RSS after %d ordinary pages %.1f MB, after the %d extreme ones %.1f MB: %.2fx%n",
                ordinary.size(), afterOrdinary.get("rss_mb"), EXTREMES.size(), afterExtremes.get("rss_mb"), ratio);

        Files.createDirectories(json.toAbsolutePath().getParent());
        Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(report) + "\n");
        System.out.println("report: " + json);
    }
}
