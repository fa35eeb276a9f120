package dev.asyncocr.ocr;

import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/**
 * PP-OCR DB text detection: resize by the request's {@link DetectionSize} with both sides multiples of 32,
 * normalise, run, post-process with its thresholds, order for reading.
 */
final class TextDetector {

    private final Predictor model;

    TextDetector(Predictor model) {
        this.model = model;
    }

    /**
     * @param tuning the geometry, thresholds and unclip ratio, every one set
     * @return boxes in {@code image}'s pixel space, in reading order
     */
    List<DbPostProcessor.ScoredQuad> detect(Mat image, Tuning tuning) {
        DetectionSize size = tuning.detSize();
        int h = image.rows();
        int w = image.cols();
        List<DbPostProcessor.ScoredQuad> boxes = detect(image, size.scale(w, h), tuning);
        double rescale = size.rescale(boxes.stream().mapToDouble(b -> b.quad().height()).min().orElse(0));
        if (rescale > 0) {
            boxes = detect(image, rescale, tuning);
        }
        return ReadingOrder.sort(boxes, DbPostProcessor.ScoredQuad::quad);
    }

    private List<DbPostProcessor.ScoredQuad> detect(Mat image, double scale, Tuning tuning) {
        int h = image.rows();
        int w = image.cols();
        DetectionSize.Input size = DetectionSize.input(w, h, scale);
        float[] input = new float[3 * size.height() * size.width()];
        try (Mat resized = ImageTensors.resized(image, size.width(), size.height())) {
            ImageTensors.writeChw(resized, input, 0, size.width());
        }
        Tensor probability = model.predict(new Tensor(input, new long[] {1, 3, size.height(), size.width()}));
        return DbPostProcessor.boxes(probability.data(), probability.dim(2), probability.dim(3), w, h, tuning);
    }
}
