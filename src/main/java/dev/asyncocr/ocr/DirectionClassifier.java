package dev.asyncocr.ocr;

import dev.asyncocr.inference.Predictor;
import dev.asyncocr.inference.Tensor;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.rotate;

/**
 * The 0/180-degree text direction classifier: lines judged upside down with more than
 * {@link #THRESHOLD} confidence are turned the right way up, in place.
 */
final class DirectionClassifier {

    static final double THRESHOLD = 0.9;
    static final int HEIGHT = 48;
    static final int WIDTH = 192;
    static final int BATCH = 6;

    private final Predictor model;

    DirectionClassifier(Predictor model) {
        this.model = model;
    }

    /**
     * Classifies every line and rotates the upside-down ones in place.
     *
     * @return per line, 180 when it was turned, else 0
     */
    int[] orient(List<Mat> lines) {
        int[] angles = new int[lines.size()];
        // Every line is padded to the same width, so batching cannot change a result.
        for (int start = 0; start < lines.size(); start += BATCH) {
            int n = Math.min(BATCH, lines.size() - start);
            float[] input = new float[n * 3 * HEIGHT * WIDTH];
            for (int b = 0; b < n; b++) {
                Mat line = lines.get(start + b);
                int width = (int) Math.min(WIDTH, Math.ceil(HEIGHT * ((double) line.cols() / line.rows())));
                try (Mat resized = ImageTensors.resized(line, width, HEIGHT)) {
                    ImageTensors.writeChw(resized, input, b * 3 * HEIGHT * WIDTH, WIDTH);
                }
            }
            Tensor output = model.predict(new Tensor(input, new long[] {n, 3, HEIGHT, WIDTH}));
            float[] p = output.data();
            int labels = output.dim(1);
            for (int b = 0; b < n; b++) {
                float upright = p[b * labels];
                float upsideDown = p[b * labels + 1];
                if (upsideDown > upright && upsideDown > THRESHOLD) {
                    Mat line = lines.get(start + b);
                    rotate(line, line, ROTATE_180);
                    angles[start + b] = 180;
                }
            }
        }
        return angles;
    }
}
