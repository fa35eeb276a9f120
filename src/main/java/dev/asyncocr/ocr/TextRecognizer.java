package dev.asyncocr.ocr;

import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * PP-OCR CTC recognition at height {@link #HEIGHT} with dynamic width. Each image's lines are sorted by
 * aspect ratio and grouped {@link #GROUP} at a time, each group padded to its widest line (at least
 * {@link #MIN_WIDTH} wide), as the reference does: padding stays small, and a line reads the same as it
 * would alone. Groups of the same width, of one image or of several, then share model calls of up to
 * {@link #MAX_BATCH} lines, which changes no line's input.
 */
final class TextRecognizer {

    static final int HEIGHT = 48;
    static final int MIN_WIDTH = 320;
    static final int GROUP = 6;
    static final int MAX_BATCH = 24;

    private final Predictor model;
    private final CtcDecoder decoder;

    TextRecognizer(Predictor model, List<String> dictionary) {
        this.model = model;
        this.decoder = new CtcDecoder(dictionary);
    }

    /** The lines of several images, each list in its image's order. */
    List<List<CtcDecoder.Decoded>> recognizeAll(List<List<Mat>> images) {
        record Line(int image, int index, Mat mat) {
        }
        Map<Integer, List<Line>> byWidth = new TreeMap<>();
        List<CtcDecoder.Decoded[]> results = new ArrayList<>();
        for (int image = 0; image < images.size(); image++) {
            List<Mat> lines = images.get(image);
            results.add(new CtcDecoder.Decoded[lines.size()]);
            List<Integer> order = IntStream.range(0, lines.size()).boxed()
                    .sorted(Comparator.comparingDouble(i -> aspect(lines.get(i)))).toList();
            for (int start = 0; start < order.size(); start += GROUP) {
                List<Integer> group = order.subList(start, Math.min(order.size(), start + GROUP));
                double maxAspect = (double) MIN_WIDTH / HEIGHT;
                for (int i : group) {
                    maxAspect = Math.max(maxAspect, aspect(lines.get(i)));
                }
                List<Line> sameWidth = byWidth.computeIfAbsent((int) (HEIGHT * maxAspect), w -> new ArrayList<>());
                for (int i : group) {
                    sameWidth.add(new Line(image, i, lines.get(i)));
                }
            }
        }
        byWidth.forEach((width, lines) -> {
            for (int start = 0; start < lines.size(); start += MAX_BATCH) {
                List<Line> batch = lines.subList(start, Math.min(lines.size(), start + MAX_BATCH));
                float[] input = new float[batch.size() * 3 * HEIGHT * width];
                int[] resizedWidths = new int[batch.size()];
                for (int b = 0; b < batch.size(); b++) {
                    Mat line = batch.get(b).mat();
                    int resizedWidth = (int) Math.min(width, Math.ceil(HEIGHT * aspect(line)));
                    resizedWidths[b] = resizedWidth;
                    try (Mat resized = ImageTensors.resized(line, resizedWidth, HEIGHT)) {
                        ImageTensors.writeChw(resized, input, b * 3 * HEIGHT * width, width);
                    }
                }
                Tensor output = model.predict(new Tensor(input, new long[] {batch.size(), 3, HEIGHT, width}));
                int steps = output.dim(1);
                int classes = output.dim(2);
                for (int b = 0; b < batch.size(); b++) {
                    Line line = batch.get(b);
                    // a step covers width / steps input columns; the line fills the first resizedWidth of them
                    double stepWidth = (double) width / steps / resizedWidths[b];
                    results.get(line.image())[line.index()] =
                            decoder.decode(output.data(), b * steps * classes, steps, classes, stepWidth);
                }
            }
        });
        return results.stream().map(List::of).toList();
    }

    private static double aspect(Mat line) {
        return (double) line.cols() / line.rows();
    }
}
