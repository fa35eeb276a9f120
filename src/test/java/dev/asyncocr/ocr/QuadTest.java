package dev.asyncocr.ocr;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class QuadTest {

    @Test
    void theUnitSquaresCornersAreTheQuadsCorners() {
        Quad skewed = Quad.of(10, 20, 110, 5, 130, 60, 0, 90);
        assertArrayEquals(new float[] {10, 20}, skewed.at(0, 0), 1e-3f);
        assertArrayEquals(new float[] {110, 5}, skewed.at(1, 0), 1e-3f);
        assertArrayEquals(new float[] {130, 60}, skewed.at(1, 1), 1e-3f);
        assertArrayEquals(new float[] {0, 90}, skewed.at(0, 1), 1e-3f);
    }

    @Test
    void aRectanglesPartIsLinear() {
        Quad line = Quad.of(100, 50, 300, 50, 300, 90, 100, 90);
        assertArrayEquals(Quad.of(150, 50, 200, 50, 200, 90, 150, 90).xy(), line.part(0.25, 0, 0.5, 1).xy(), 1e-3f);
    }

    @Test
    void aPerspectiveQuadsMidpointIsWhereTheDiagonalsCross() {
        // a trapezoid: the centre of the unit square goes where the diagonals cross, not to the corners' mean
        Quad trapezoid = Quad.of(0, 0, 100, 0, 75, 50, 25, 50);
        float[] centre = trapezoid.at(0.5, 0.5);
        assertArrayEquals(new float[] {50, 100f / 3}, centre, 1e-3f);
    }
}
