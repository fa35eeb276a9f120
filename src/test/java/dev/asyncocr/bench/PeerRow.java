package dev.asyncocr.bench;

import dev.asyncocr.eval.Benchmark;
import io.github.mymonstercat.Model;
import io.github.mymonstercat.ocr.InferenceEngine;
import io.github.mymonstercat.ocr.config.HardwareConfig;
import io.github.mymonstercat.ocr.config.ParamConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The peer a Java user would pick instead: RapidOCR-Java (a C++ PP-OCR pipeline on ONNX Runtime over JNI,
 * with the same PP-OCRv4 models), one image at a time on {@code THREADS} threads, as its single engine
 * instance allows. It runs the same stages as ours (direction classification on) and reads files, so
 * the images are written to a temporary folder first. Test scope only: it never ships in the service.
 *
 * <pre>PeerRow ROUNDS THREADS MAX_SIDE_LEN FOLDER...</pre>
 * MAX_SIDE_LEN is the peer's own detection scaling: 0 keeps pages at their size, N scales the long side
 * down to N (it pads every page by 50 pixels first, its default).
 */
public final class PeerRow {

    private PeerRow() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        List<byte[]> images = Benchmark.images(Arrays.stream(args, 3, args.length).map(Path::of).toList());
        Path folder = Files.createTempDirectory("peer-images");
        folder.toFile().deleteOnExit();
        Map<byte[], String> files = new IdentityHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            Path file = folder.resolve("image-" + i);
            Files.write(file, images.get(i));
            files.put(images.get(i), file.toString());
            file.toFile().deleteOnExit();
        }
        InferenceEngine engine = InferenceEngine.getInstance(Model.ONNX_PPOCR_V4, new HardwareConfig(threads, -1));
        ParamConfig params = ParamConfig.getDefaultConfig();
        params.setDoAngle(true);
        params.setMaxSideLen(Integer.parseInt(args[2]));
        SequentialRow.run(images, rounds, image -> engine.runOcr(files.get(image), params));
    }
}
