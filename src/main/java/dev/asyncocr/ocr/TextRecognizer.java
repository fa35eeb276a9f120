package dev.asyncocr.ocr;

import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * PP-OCR CTC recognition at height {@link #HEIGHT} with dynamic width: lines are sorted by aspect
 * ratio and run in batches of {@link #BATCH}, each batch padded to its widest line (at least
 * {@link #MIN_WIDTH} wide), so padding stays small.
 */
final class TextRecognizer {

    static final int HEIGHT = 48;
    static final int MIN_WIDTH = 320;
    static final int BATCH = 6;

    private final Predictor model;
    private final CtcDecoder decoder;

    TextRecognizer(Predictor model, List<String> dictionary) {
        this.model = model;
        this.decoder = new CtcDecoder(dictionary);
    }

    List<CtcDecoder.Decoded> recognize(List<Mat> lines) {
        List<CtcDecoder.Decoded> results = new ArrayList<>(lines.size());
        lines.forEach(l -> results.add(null));
        List<Integer> order = IntStream.range(0, lines.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> aspect(lines.get(i))))
                .toList();
        for (int start = 0; start < order.size(); start += BATCH) {
            List<Integer> batch = order.subList(start, Math.min(order.size(), start + BATCH));
            double maxAspect = (double) MIN_WIDTH / HEIGHT;
            for (int i : batch) {
                maxAspect = Math.max(maxAspect, aspect(lines.get(i)));
            }
            int width = (int) (HEIGHT * maxAspect);
            float[] input = new float[batch.size() * 3 * HEIGHT * width];
            for (int b = 0; b < batch.size(); b++) {
                Mat line = lines.get(batch.get(b));
                int resizedWidth = (int) Math.min(width, Math.ceil(HEIGHT * aspect(line)));
                try (Mat resized = ImageTensors.resized(line, resizedWidth, HEIGHT)) {
                    ImageTensors.writeChw(resized, input, b * 3 * HEIGHT * width, width);
                }
            }
            Tensor output = model.predict(new Tensor(input, new long[] {batch.size(), 3, HEIGHT, width}));
            int steps = output.dim(1);
            int classes = output.dim(2);
            for (int b = 0; b < batch.size(); b++) {
                results.set(batch.get(b), decoder.decode(output.data(), b * steps * classes, steps, classes));
            }
        }
        return results;
    }

    private static double aspect(Mat line) {
        return (double) line.cols() / line.rows();
    }
}
