package dev.asyncocr.ocr;

import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * PP-OCR DB text detection: resize by the {@link DetectionSize} with both sides multiples of 32,
 * normalise, run, post-process, order for reading.
 */
final class TextDetector {

    private final Predictor model;
    private final DetectionSize size;

    TextDetector(Predictor model, DetectionSize size) {
        this.model = model;
        this.size = size;
    }

    /** Boxes in {@code image}'s pixel space, in reading order. */
    List<DbPostProcessor.ScoredQuad> detect(Mat image) {
        int h = image.rows();
        int w = image.cols();
        double ratio = size.scale(w, h);
        int resizeH = multipleOf32((int) (h * ratio));
        int resizeW = multipleOf32((int) (w * ratio));
        if (resizeH <= 0 || resizeW <= 0) {
            return List.of();
        }
        float[] input = new float[3 * resizeH * resizeW];
        try (Mat resized = ImageTensors.resized(image, resizeW, resizeH)) {
            ImageTensors.writeChw(resized, input, 0, resizeW);
        }
        Tensor probability = model.predict(new Tensor(input, new long[] {1, 3, resizeH, resizeW}));
        int mapH = probability.dim(2);
        int mapW = probability.dim(3);
        List<DbPostProcessor.ScoredQuad> boxes = DbPostProcessor.boxes(probability.data(), mapH, mapW, w, h);
        return ReadingOrder.sort(boxes, DbPostProcessor.ScoredQuad::quad);
    }

    /** Python's round(): halves go to the even neighbour. */
    static int multipleOf32(int side) {
        return (int) Math.rint(side / 32.0) * 32;
    }
}
