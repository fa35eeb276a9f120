package dev.asyncocr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.inference.EngineOptions;
import dev.asyncocr.inference.ModelLoader;
import dev.asyncocr.inference.ModelLocations;
import dev.asyncocr.inference.Models;
import dev.asyncocr.ocr.DetectionSize;
import dev.asyncocr.ocr.OcrOptions;
import dev.asyncocr.ocr.OcrPipeline;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * Reads pages one after the other in a JVM of its own, after the pipeline's warm-up, and prints one
 * line, {@code ROW <json>}: each page's milliseconds, the resident memory after the last and the
 * process's peak. A page is an image file or {@code WIDTHxHEIGHT}, a white PNG of that size.
 *
 * <pre>ShapeRow DETECTION_SIZE PAGE...</pre>
 */
public final class ShapeRow {

    private ShapeRow() {
    }

    public static void main(String[] args) throws Exception {
        DetectionSize detection = DetectionSize.parse(args[0]);
        try (Models models = ModelLoader.load(ModelLocations.bundled(),
                EngineOptions.cpu(Runtime.getRuntime().availableProcessors()))) {
            OcrPipeline pipeline = new OcrPipeline(models, new ImageDecoder(40_000_000L), detection);
            pipeline.warmUp();
            List<Double> millis = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                byte[] page = page(args[i]);
                long start = System.nanoTime();
                pipeline.run(page, OcrOptions.ALL);
                millis.add(Latencies.round((System.nanoTime() - start) / 1e6));
            }
            long pid = ProcessHandle.current().pid();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ms", millis);
            row.put("rss_mb", Latencies.round(ProcessStats.rssMb(pid)));
            row.put("peak_rss_mb", Latencies.round(ProcessStats.peakRssMb(pid)));
            System.out.println(); // on a line of its own, whatever native code printed before
            System.out.println(SequentialRow.PREFIX + new ObjectMapper().writeValueAsString(row));
        }
    }

    private static byte[] page(String spec) throws Exception {
        if (!spec.matches("\\d+x\\d+")) {
            return Files.readAllBytes(Path.of(spec));
        }
        String[] size = spec.split("x");
        try (Scalar white = new Scalar(255, 255, 255, 0);
             Mat page = new Mat(Integer.parseInt(size[1]), Integer.parseInt(size[0]), CV_8UC1, white);
             BytePointer png = new BytePointer()) {
            imencode(".png", page, png);
            byte[] bytes = new byte[(int) png.limit()];
            png.get(bytes);
            return bytes;
        }
    }
}
