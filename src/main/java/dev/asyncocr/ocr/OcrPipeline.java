package dev.asyncocr.ocr;

import dev.asyncocr.image.ImageDecoder;
import dev.asyncocr.image.ImageRejectedException;
import dev.asyncocr.inference.Models;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

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

    private final ImageDecoder decoder;
    private final Tuning defaults;
    private final TextDetector detector;
    private final DirectionClassifier classifier;
    private final TextRecognizer recognizer;

    /** With the service's default settings. */
    public OcrPipeline(Models models, ImageDecoder decoder) {
        this(models, decoder, Tuning.DEFAULT);
    }

    /** With the default settings at another detection geometry. */
    public OcrPipeline(Models models, ImageDecoder decoder, DetectionSize detectionSize) {
        this(models, decoder, Tuning.DEFAULT.withDetSize(detectionSize));
    }

    /**
     * @param defaults the settings of a request that leaves them unset, every one set
     */
    public OcrPipeline(Models models, ImageDecoder decoder, Tuning defaults) {
        this.decoder = decoder;
        this.defaults = defaults;
        this.detector = new TextDetector(models.det());
        this.classifier = new DirectionClassifier(models.cls());
        this.recognizer = new TextRecognizer(models.rec(), models.dictionary());
    }

    /**
     * Runs every stage once on a small page drawn here, so that the engines' and the decoder's first-call
     * set-up (seconds on a cold process) is paid before the first request, not by it. The page is read
     * once with detection and once without, so that direction and recognition run whatever is detected.
     */
    public void warmUp() {
        byte[] page = warmUpPage();
        runAll(List.of(new Request(page, OcrOptions.ALL), new Request(page, new OcrOptions(false, true, true))))
                .forEach(Outcome::get);
    }

    private static byte[] warmUpPage() {
        try (Scalar white = new Scalar(255, 255, 255, 0);
             Mat page = new Mat(64, 320, CV_8UC3, white);
             Scalar black = new Scalar(0, 0, 0, 0);
             Point origin = new Point(12, 44);
             BytePointer jpeg = new BytePointer()) {
            putText(page, "Warm up 2024", origin, FONT_HERSHEY_SIMPLEX, 1.0, black, 2, LINE_AA, false);
            imencode(".jpg", page, jpeg);
            byte[] bytes = new byte[(int) jpeg.limit()];
            jpeg.get(bytes);
            return bytes;
        }
    }

    /** One image to read, with what to run on it. */
    public record Request(byte[] image, OcrOptions options) {
    }

    /** What became of one request: its result, or the exception that failed it alone. */
    public record Outcome(OcrResult result, RuntimeException error) {

        /** The result, or the request's own failure thrown. */
        public OcrResult get() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    /**
     * @throws ImageRejectedException when the bytes are not an image we can read
     */
    public OcrResult run(byte[] encodedImage, OcrOptions options) {
        return runAll(List.of(new Request(encodedImage, options))).get(0).get();
    }

    /**
     * Reads several images at once: each is decoded and its lines detected on its own, with its own
     * {@link Tuning}, then the lines of all of them are classified and recognised together, which fills the
     * models' batches, and each request's lines are filtered by its own {@code minConfidence}. No line's
     * input depends on the other requests (the classifier pads each line alone, the recogniser groups
     * each image's lines as if it ran alone), so a request reads the same alone or in company. An image that
     * cannot be decoded or detected fails only its own request; a classifier or recogniser failure fails
     * every request that reached it.
     *
     * @return one outcome per request, in order
     */
    public List<Outcome> runAll(List<Request> requests) {
        List<Work> work = new ArrayList<>();
        try {
            for (Request request : requests) {
                work.add(Work.start(request, request.options().tuning().orElse(defaults), decoder, detector));
            }
            stage(work, OcrOptions::cls, OcrResult.CLS, this::orientAll, (w, angles) -> w.angles = angles);
            stage(work, OcrOptions::rec, OcrResult.REC, recognizer::recognizeAll, (w, texts) -> w.texts = texts);
            return work.stream().map(Work::outcome).toList();
        } finally {
            work.forEach(Work::close);
        }
    }

    /** The direction of every line of several images (each line is padded alone: batching changes nothing). */
    private List<List<Integer>> orientAll(List<List<Mat>> images) {
        List<Mat> all = images.stream().flatMap(List::stream).toList();
        int[] angles = classifier.orient(all);
        List<List<Integer>> split = new ArrayList<>();
        int from = 0;
        for (List<Mat> lines : images) {
            split.add(Arrays.stream(angles, from, from + lines.size()).boxed().toList());
            from += lines.size();
        }
        return split;
    }

    /**
     * Runs one model over the lines of every request that asks for it, together, and hands each request
     * its share; every request that took part is charged the stage's time.
     */
    private static <T> void stage(List<Work> work, Predicate<OcrOptions> wanted, String name,
            Function<List<List<Mat>>, List<List<T>>> model, BiConsumer<Work, List<T>> give) {
        List<Work> taking = work.stream()
                .filter(w -> w.error == null && wanted.test(w.request.options()) && !w.crops.isEmpty()).toList();
        if (taking.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        List<List<T>> answers;
        try {
            answers = model.apply(taking.stream().map(w -> w.crops).toList());
        } catch (RuntimeException e) {
            taking.forEach(w -> w.error = e);
            return;
        }
        double millis = Stopwatch.millis(System.nanoTime() - start);
        for (int i = 0; i < taking.size(); i++) {
            give.accept(taking.get(i), answers.get(i));
            taking.get(i).watch.charge(name, millis);
        }
    }

    /** One request on its way through the pipeline; owns its native images until closed. */
    private static final class Work implements AutoCloseable {
        final Request request;
        /** The request's settings, every one set: its own, else the pipeline's defaults. */
        final Tuning tuning;
        final Stopwatch watch = new Stopwatch();
        final List<Mat> crops = new ArrayList<>();
        final List<Quad> boxes = new ArrayList<>();
        final List<Double> boxScores = new ArrayList<>();
        Mat decoded;
        Page page;
        List<Integer> angles;
        List<CtcDecoder.Decoded> texts;
        RuntimeException error;

        private Work(Request request, Tuning tuning) {
            this.request = request;
            this.tuning = tuning;
        }

        /** Decodes and detects; a failure here is this request's alone. */
        static Work start(Request request, Tuning tuning, ImageDecoder decoder, TextDetector detector) {
            Work work = new Work(request, tuning);
            try {
                work.decoded = decoder.decode(request.image());
                work.watch.lap(OcrResult.DECODE);
                work.page = Page.of(work.decoded);
                if (request.options().det()) {
                    for (var box : detector.detect(work.page.padded(), tuning)) {
                        work.boxes.add(box.quad());
                        work.boxScores.add(box.score());
                        work.crops.add(LineCropper.crop(work.page.padded(), box.quad()));
                    }
                    work.watch.lap(OcrResult.DET);
                } else {
                    work.boxes.add(work.page.whole());
                    work.boxScores.add(1.0);
                    work.crops.add(work.page.scaled().clone());
                }
            } catch (RuntimeException e) {
                work.error = e;
            }
            return work;
        }

        Outcome outcome() {
            if (error != null) {
                return new Outcome(null, error);
            }
            boolean det = request.options().det();
            List<OcrLine> lines = new ArrayList<>();
            for (int i = 0; i < boxes.size(); i++) {
                CtcDecoder.Decoded text = texts == null ? null : texts.get(i);
                // Like the reference: with detection, empty and low-confidence lines are noise; without it
                // the caller named the line, so it is always returned.
                if (det && text != null && (text.text().isBlank() || text.confidence() < tuning.minConfidence())) {
                    continue;
                }
                Quad box = page.toOriginal(boxes.get(i));
                Integer angle = angles == null ? null : angles.get(i);
                lines.add(new OcrLine(text == null ? null : text.text(),
                        text == null ? boxScores.get(i) : text.confidence(), box.toIntPoints(), angle,
                        text == null ? List.of() : WordSplitter.split(text.glyphs(), box,
                                det && LineCropper.isVertical(boxes.get(i)), angle != null && angle == 180)));
            }
            return new Outcome(new OcrResult(decoded.cols(), decoded.rows(), lines, watch.finish(), tuning), null);
        }

        @Override
        public void close() {
            crops.forEach(Mat::close);
            if (page != null) {
                page.close();
            }
            if (decoded != null) {
                decoded.close();
            }
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
            int h = Math.max(32, DetectionSize.multipleOf32((int) (image.rows() * ratio)));
            int w = Math.max(32, DetectionSize.multipleOf32((int) (image.cols() * ratio)));
            Mat out = ImageTensors.resized(image, w, h);
            if (image != original) {
                image.close();
            }
            return out;
        }

        /** The whole page in the padded image's space, where every box is mapped back from. */
        Quad whole() {
            return Quad.of(0, top, scaled.cols(), top, scaled.cols(), top + scaled.rows(), 0, top + scaled.rows());
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

        /** A stage run for several requests at once: each is charged its whole time. */
        void charge(String stage, double millis) {
            laps.put(stage, millis);
            last = System.nanoTime();
        }

        Map<String, Double> finish() {
            laps.put(OcrResult.TOTAL, millis(System.nanoTime() - start));
            return laps;
        }

        static double millis(long nanos) {
            return Math.round(nanos / 100_000.0) / 10.0;
        }
    }
}
