package dev.asyncocr.ocr;

import dev.asyncocr.inference.Models;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

/**
 * PP-OCR end to end: decode, detect, classify direction, recognise. Stateless apart from the shared
 * models, so one instance serves every thread.
 *
 * <p>Page geometry follows the reference implementation the evaluation cases come from: pages are
 * first brought within {@link #MIN_SIDE}..{@link #MAX_SIDE} pixels, and very flat pages (under
 * {@link #MIN_HEIGHT} high, or wider than {@link #MAX_WIDTH_TO_HEIGHT} times their height) get black
 * bands above and below, so the detector sees a line with room around it.
 */
public final class OcrPipeline {

    static final int MIN_SIDE = 30;
    static final int MAX_SIDE = 2000;
    static final int MIN_HEIGHT = 30;
    static final double MAX_WIDTH_TO_HEIGHT = 8;
    /** Lines recognised with less confidence than this are dropped (when detection ran). */
    static final double MIN_TEXT_SCORE = 0.5;

    private final ImageDecoder decoder;
    private final TextDetector detector;
    private final DirectionClassifier classifier;
    private final TextRecognizer recognizer;

    public OcrPipeline(Models models, ImageDecoder decoder) {
        this.decoder = decoder;
        this.detector = new TextDetector(models.det());
        this.classifier = new DirectionClassifier(models.cls());
        this.recognizer = new TextRecognizer(models.rec(), models.dictionary());
    }

    /**
     * @throws ImageRejectedException when the bytes are not an image we can read
     */
    public OcrResult run(byte[] encodedImage, OcrOptions options) {
        Stopwatch watch = new Stopwatch();
        try (Mat image = decoder.decode(encodedImage)) {
            watch.lap(OcrResult.DECODE);
            return run(image, options, watch);
        }
    }

    /** Runs on an already decoded 8-bit BGR image. */
    public OcrResult run(Mat image, OcrOptions options) {
        return run(image, options, new Stopwatch());
    }

    private OcrResult run(Mat original, OcrOptions options, Stopwatch watch) {
        Page page = Page.of(original);
        List<Mat> crops = new ArrayList<>();
        try {
            List<Quad> boxes;
            List<Double> boxScores;
            if (options.det()) {
                var detected = detector.detect(page.padded());
                boxes = new ArrayList<>();
                boxScores = new ArrayList<>();
                for (var box : detected) {
                    boxes.add(box.quad());
                    boxScores.add(box.score());
                    crops.add(LineCropper.crop(page.padded(), box.quad()));
                }
                watch.lap(OcrResult.DET);
            } else {
                boxes = List.of(Quad.whole(page.scaled().cols(), page.scaled().rows()));
                boxScores = List.of(1.0);
                crops.add(page.scaled().clone());
            }
            int[] angles = null;
            if (options.cls() && !crops.isEmpty()) {
                angles = classifier.orient(crops);
                watch.lap(OcrResult.CLS);
            }
            List<CtcDecoder.Decoded> texts = null;
            if (options.rec() && !crops.isEmpty()) {
                texts = recognizer.recognize(crops);
                watch.lap(OcrResult.REC);
            }
            List<OcrLine> lines = new ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                CtcDecoder.Decoded text = texts == null ? null : texts.get(i);
                // Like the reference: with detection, empty and low-confidence lines are noise; without it
                // the caller named the line, so it is always returned.
                if (options.det() && text != null && (text.text().isBlank() || text.confidence() < MIN_TEXT_SCORE)) {
                    continue;
                }
                lines.add(new OcrLine(text == null ? null : text.text(),
                        text == null ? boxScores.get(i) : text.confidence(),
                        page.toOriginal(boxes.get(i)).toIntPoints(),
                        angles == null ? null : angles[i]));
            }
            return new OcrResult(lines, watch.finish());
        } finally {
            crops.forEach(Mat::close);
            page.close();
        }
    }

    /**
     * The page as the models see it: scaled into bounds, then letterboxed; maps boxes back to the
     * original image.
     */
    private record Page(Mat original, Mat scaled, Mat padded, double ratioW, double ratioH, int top)
            implements AutoCloseable {

        static Page of(Mat original) {
            Mat scaled = original;
            if (Math.max(scaled.rows(), scaled.cols()) > MAX_SIDE) {
                scaled = scale(scaled, original, (double) MAX_SIDE / Math.max(scaled.rows(), scaled.cols()));
            }
            if (Math.min(scaled.rows(), scaled.cols()) < MIN_SIDE) {
                scaled = scale(scaled, original, (double) MIN_SIDE / Math.min(scaled.rows(), scaled.cols()));
            }
            double ratioW = (double) original.cols() / scaled.cols();
            double ratioH = (double) original.rows() / scaled.rows();
            int top = 0;
            Mat padded = scaled;
            int sh = scaled.rows();
            int sw = scaled.cols();
            if (sh <= MIN_HEIGHT || (double) sw / sh > MAX_WIDTH_TO_HEIGHT) {
                int newH = Math.max((int) (sw / MAX_WIDTH_TO_HEIGHT), MIN_HEIGHT) * 2;
                top = Math.abs(newH - sh) / 2;
                padded = new Mat();
                try (Scalar black = new Scalar(0, 0, 0, 0)) {
                    copyMakeBorder(scaled, padded, top, top, 0, 0, BORDER_CONSTANT, black);
                }
            }
            return new Page(original, scaled, padded, ratioW, ratioH, top);
        }

        /** Resizes by {@code ratio} to sides that are multiples of 32 (never below 32). */
        private static Mat scale(Mat image, Mat original, double ratio) {
            int h = Math.max(32, TextDetector.multipleOf32((int) (image.rows() * ratio)));
            int w = Math.max(32, TextDetector.multipleOf32((int) (image.cols() * ratio)));
            Mat out = ImageTensors.resized(image, w, h);
            if (image != original) {
                image.close();
            }
            return out;
        }

        Quad toOriginal(Quad quad) {
            float[] xy = new float[8];
            for (int i = 0; i < 4; i++) {
                double x = quad.x(i) * ratioW;
                double y = (quad.y(i) - top) * ratioH;
                xy[2 * i] = (float) Math.min(Math.max(x, 0), original.cols());
                xy[2 * i + 1] = (float) Math.min(Math.max(y, 0), original.rows());
            }
            return new Quad(xy);
        }

        @Override
        public void close() {
            if (padded != scaled) {
                padded.close();
            }
            if (scaled != original) {
                scaled.close();
            }
        }
    }

    /** Milliseconds per stage, to one decimal. */
    private static final class Stopwatch {
        private final long start = System.nanoTime();
        private long last = start;
        private final Map<String, Double> laps = new LinkedHashMap<>();

        void lap(String stage) {
            long now = System.nanoTime();
            laps.put(stage, millis(now - last));
            last = now;
        }

        Map<String, Double> finish() {
            laps.put(OcrResult.TOTAL, millis(System.nanoTime() - start));
            return laps;
        }

        private static double millis(long nanos) {
            return Math.round(nanos / 100_000.0) / 10.0;
        }
    }
}
