package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbPostProcessorTest {

    private static final int H = 60;
    private static final int W = 120;

    private static void fill(float[] map, int x0, int y0, int x1, int y1, float value) {
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                map[y * W + x] = value;
            }
        }
    }

    private static void assertCorners(Quad quad, double[] expected, double tolerance) {
        for (int i = 0; i < 8; i++) {
            assertEquals(expected[i], quad.xy()[i], tolerance, "coordinate " + i + " of " + java.util.Arrays.toString(quad.xy()));
        }
    }

    @Test
    void aConfidentRegionBecomesOneBoxGrownByAreaTimesRatioOverPerimeter() {
        float[] map = new float[H * W];
        fill(map, 10, 20, 69, 29, 0.9f);
        List<DbPostProcessor.ScoredQuad> boxes = DbPostProcessor.boxes(map, H, W, W, H, Tuning.DEFAULT);
        assertEquals(1, boxes.size());
        // The 2x2 dilation makes the mask cols 10..70, rows 20..30; its 60x10 rectangle grows by
        // 600 * 1.6 / 140 = 6.86 pixels on every side.
        assertCorners(boxes.get(0).quad(), new double[] {3, 13, 77, 13, 77, 37, 3, 37}, 1);
        // mean probability over the 61x11 pixels of the rectangle
        assertEquals(0.9 * 60 * 10 / (61 * 11), boxes.get(0).score(), 0.01);
    }

    @Test
    void boxesAreScaledToTheDestinationImage() {
        float[] map = new float[H * W];
        fill(map, 10, 20, 69, 29, 0.9f);
        Quad quad = DbPostProcessor.boxes(map, H, W, 2 * W, 2 * H, Tuning.DEFAULT).get(0).quad();
        assertCorners(quad, new double[] {6, 26, 154, 26, 154, 74, 6, 74}, 2);
    }

    @Test
    void weakAndTinyRegionsAreDropped() {
        float[] map = new float[H * W];
        fill(map, 10, 5, 60, 15, 0.35f);   // above the 0.3 binarisation threshold, below the 0.5 box score
        fill(map, 100, 40, 101, 41, 0.95f); // a 2x2 speck: its rectangle's short side is under 3
        assertTrue(DbPostProcessor.boxes(map, H, W, W, H, Tuning.DEFAULT).isEmpty());
    }

    @Test
    void theBoxThresholdDecidesWhetherAWeakRegionIsKept() {
        float[] map = new float[H * W];
        fill(map, 10, 5, 60, 15, 0.35f); // mean over its rectangle about 0.31
        assertTrue(DbPostProcessor.boxes(map, H, W, W, H, tuning(0.3, 0.5, 1.6)).isEmpty());
        assertEquals(1, DbPostProcessor.boxes(map, H, W, W, H, tuning(0.3, 0.2, 1.6)).size());
    }

    @Test
    void thePixelThresholdDecidesWhatIsText() {
        float[] map = new float[H * W];
        fill(map, 10, 5, 60, 15, 0.35f);
        fill(map, 10, 30, 60, 40, 0.9f);
        assertEquals(2, DbPostProcessor.boxes(map, H, W, W, H, tuning(0.3, 0.2, 1.6)).size());
        assertEquals(1, DbPostProcessor.boxes(map, H, W, W, H, tuning(0.4, 0.2, 1.6)).size(), "0.35 is under 0.4");
        assertTrue(DbPostProcessor.boxes(map, H, W, W, H, tuning(0.95, 0.2, 1.6)).isEmpty());
    }

    @Test
    void theUnclipRatioDecidesHowFarABoxGrows() {
        float[] map = new float[H * W];
        fill(map, 10, 20, 69, 29, 0.9f);
        Quad usual = DbPostProcessor.boxes(map, H, W, W, H, tuning(0.3, 0.5, 1.6)).get(0).quad();
        Quad wider = DbPostProcessor.boxes(map, H, W, W, H, tuning(0.3, 0.5, 3)).get(0).quad();
        // the 60x10 rectangle grows by 600 x ratio / 140 on every side: 6.86 pixels at 1.6, 12.86 at 3
        assertEquals(10 + 2 * 6.86, usual.height(), 1.5);
        assertEquals(10 + 2 * 12.86, wider.height(), 1.5);
    }

    private static Tuning tuning(double detThresh, double boxThresh, double unclipRatio) {
        return new Tuning(DetectionSize.DEFAULT, detThresh, boxThresh, unclipRatio, 0.5);
    }

    @Test
    void separateRegionsGiveSeparateBoxes() {
        float[] map = new float[H * W];
        fill(map, 5, 5, 50, 14, 0.8f);
        fill(map, 60, 40, 110, 49, 0.8f);
        assertEquals(2, DbPostProcessor.boxes(map, H, W, W, H, Tuning.DEFAULT).size());
    }

    @Test
    void cornersComeClockwiseFromTopLeftAndClippedToTheImage() {
        Quad quad = DbPostProcessor.clockwise(new double[] {50, 40, 5, 3, 130, 4, -2, 41}, W, H);
        assertCorners(quad, new double[] {5, 3, 119, 4, 50, 40, 0, 41}, 0);
    }
}
