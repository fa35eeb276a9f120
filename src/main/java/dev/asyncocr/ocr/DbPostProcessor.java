package dev.asyncocr.ocr;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RotatedRect;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boxPoints;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.minAreaRect;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * Differentiable Binarization post-processing: turns the detector's text probability map into boxes.
 * Binarise at the {@link Tuning#detThresh}, dilate 2x2, take contours, keep those whose mean probability
 * inside the minimum-area rectangle reaches the {@link Tuning#boxThresh}, grow each by area x
 * {@link Tuning#unclipRatio} / perimeter, and map the minimum-area rectangle of the grown polygon to the
 * destination image.
 */
final class DbPostProcessor {

    static final int MAX_CANDIDATES = 1000;
    static final int MIN_SIZE = 3;

    record ScoredQuad(Quad quad, double score) {
    }

    private DbPostProcessor() {
    }

    /**
     * @param probability the map, {@code height x width} values in row-major order
     * @param tuning      the thresholds and unclip ratio, every one set
     * @return boxes in the {@code destWidth x destHeight} image, clockwise from top-left, unordered
     */
    static List<ScoredQuad> boxes(float[] probability, int height, int width, int destWidth, int destHeight,
            Tuning tuning) {
        List<ScoredQuad> found = new ArrayList<>();
        try (FloatPointer data = new FloatPointer(probability);
             Mat prob = new Mat(height, width, CV_32FC1, data);
             Mat mask = binarise(prob, tuning.detThresh());
             MatVector contours = new MatVector()) {
            findContours(mask, contours, RETR_LIST, CHAIN_APPROX_SIMPLE);
            long count = Math.min(contours.size(), MAX_CANDIDATES);
            for (long i = 0; i < count; i++) {
                try (Mat contour = contours.get(i)) {
                    ScoredQuad box = boxFromContour(prob, contour, width, height, destWidth, destHeight, tuning);
                    if (box != null) {
                        found.add(box);
                    }
                }
            }
        }
        return found;
    }

    private static Mat binarise(Mat prob, double thresh) {
        Mat mask = new Mat();
        try (Mat above = new Mat(); Mat kernel = new Mat(2, 2, CV_8UC1, new Scalar(1))) {
            // float on purpose: the reference compares the float32 map with a float32 threshold
            threshold(prob, above, (float) thresh, 255, THRESH_BINARY);
            above.convertTo(mask, CV_8U);
            dilate(mask, mask, kernel);
        }
        return mask;
    }

    private static ScoredQuad boxFromContour(Mat prob, Mat contour, int width, int height, int destWidth,
            int destHeight, Tuning tuning) {
        MiniBox candidate = miniBox(contour);
        if (candidate.shortSide() < MIN_SIZE) {
            return null;
        }
        double score = meanInside(prob, candidate.corners());
        if (score < tuning.boxThresh()) {
            return null;
        }
        MiniBox grown;
        try (Mat unclipped = unclip(candidate.corners(), tuning.unclipRatio())) {
            if (unclipped == null) {
                return null;
            }
            grown = miniBox(unclipped);
        }
        if (grown.shortSide() < MIN_SIZE + 2) {
            return null;
        }
        double[] scaled = new double[8];
        for (int i = 0; i < 4; i++) {
            // float arithmetic on purpose: the reference computes these in float32
            scaled[2 * i] = clamp(Math.rint(grown.corners()[i][0] / width * destWidth), 0, destWidth);
            scaled[2 * i + 1] = clamp(Math.rint(grown.corners()[i][1] / height * destHeight), 0, destHeight);
        }
        Quad quad = clockwise(scaled, destWidth, destHeight);
        if ((int) quad.side(0, 1) <= 3 || (int) quad.side(0, 3) <= 3) {
            return null;
        }
        return new ScoredQuad(quad, score);
    }

    /** The minimum-area rectangle's corners (top-left, top-right, bottom-right, bottom-left) and short side. */
    record MiniBox(float[][] corners, float shortSide) {
    }

    static MiniBox miniBox(Mat points) {
        float[][] p = new float[4][2];
        float shortSide;
        try (RotatedRect rect = minAreaRect(points); Mat corners = new Mat()) {
            boxPoints(rect, corners);
            try (FloatIndexer indexer = corners.createIndexer()) {
                for (int i = 0; i < 4; i++) {
                    p[i][0] = indexer.get(i, 0);
                    p[i][1] = indexer.get(i, 1);
                }
            }
            shortSide = Math.min(rect.size().width(), rect.size().height());
        }
        Arrays.sort(p, Comparator.comparingDouble(c -> c[0]));
        float[] topLeft = p[1][1] > p[0][1] ? p[0] : p[1];
        float[] bottomLeft = p[1][1] > p[0][1] ? p[1] : p[0];
        float[] topRight = p[3][1] > p[2][1] ? p[2] : p[3];
        float[] bottomRight = p[3][1] > p[2][1] ? p[3] : p[2];
        return new MiniBox(new float[][] {topLeft, topRight, bottomRight, bottomLeft}, shortSide);
    }

    /** Mean probability inside the (integer-truncated) box, over its bounding rectangle. */
    static double meanInside(Mat prob, float[][] box) {
        int h = prob.rows();
        int w = prob.cols();
        float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (float[] c : box) {
            minX = Math.min(minX, c[0]);
            maxX = Math.max(maxX, c[0]);
            minY = Math.min(minY, c[1]);
            maxY = Math.max(maxY, c[1]);
        }
        int xmin = clampInt((int) Math.floor(minX), 0, w - 1);
        int xmax = clampInt((int) Math.ceil(maxX), 0, w - 1);
        int ymin = clampInt((int) Math.floor(minY), 0, h - 1);
        int ymax = clampInt((int) Math.ceil(maxY), 0, h - 1);
        int[] shifted = new int[8];
        for (int i = 0; i < 4; i++) {
            shifted[2 * i] = (int) (box[i][0] - xmin);
            shifted[2 * i + 1] = (int) (box[i][1] - ymin);
        }
        try (Mat mask = new Mat(ymax - ymin + 1, xmax - xmin + 1, CV_8UC1, new Scalar(0));
             IntPointer corners = new IntPointer(shifted);
             Mat polygon = new Mat(4, 1, CV_32SC2, corners);
             MatVector polygons = new MatVector(polygon);
             Rect roi = new Rect(xmin, ymin, xmax - xmin + 1, ymax - ymin + 1);
             Mat window = new Mat(prob, roi)) {
            fillPoly(mask, polygons, new Scalar(1));
            try (Scalar m = mean(window, mask)) {
                return m.get(0);
            }
        }
    }

    /** Grows the box by area x ratio / perimeter; null when the polygon is degenerate. */
    static Mat unclip(float[][] box, double ratio) {
        double area = 0;
        double perimeter = 0;
        List<long[]> integer = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            float[] a = box[i];
            float[] b = box[(i + 1) % 4];
            area += (double) a[0] * b[1] - (double) b[0] * a[1];
            perimeter += Math.hypot(b[0] - a[0], b[1] - a[1]);
            integer.add(new long[] {(long) a[0], (long) a[1]});
        }
        double distance = Math.abs(area) / 2 * ratio / perimeter;
        List<long[]> grown = PolygonOffset.grow(integer, distance);
        if (grown.isEmpty()) {
            return null;
        }
        Mat points = new Mat(grown.size(), 1, CV_32SC2);
        try (IntIndexer indexer = points.createIndexer()) {
            for (int i = 0; i < grown.size(); i++) {
                indexer.put(i, 0, 0, (int) grown.get(i)[0]);
                indexer.put(i, 0, 1, (int) grown.get(i)[1]);
            }
        }
        return points;
    }

    /**
     * Orders the corners clockwise from top-left (two left-most by x, each pair by y) and clips them to
     * the image, truncating to whole pixels as the reference does.
     */
    static Quad clockwise(double[] xy, int width, int height) {
        Integer[] order = {0, 1, 2, 3};
        Arrays.sort(order, Comparator.comparingDouble(i -> xy[2 * i]));
        int[] left = {order[0], order[1]};
        int[] right = {order[2], order[3]};
        if (xy[2 * left[1] + 1] < xy[2 * left[0] + 1]) {
            left = new int[] {left[1], left[0]};
        }
        if (xy[2 * right[1] + 1] < xy[2 * right[0] + 1]) {
            right = new int[] {right[1], right[0]};
        }
        int[] corners = {left[0], right[0], right[1], left[1]};
        double[] out = new double[8];
        for (int i = 0; i < 4; i++) {
            out[2 * i] = (int) clamp((float) xy[2 * corners[i]], 0, width - 1);
            out[2 * i + 1] = (int) clamp((float) xy[2 * corners[i] + 1], 0, height - 1);
        }
        return Quad.of(out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7]);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static int clampInt(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
