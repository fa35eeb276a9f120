package dev.asyncocr.ocr;

/**
 * A text box: four corners, clockwise from top-left, in the pixel space of the image it was found in.
 * Coordinates are float because the perspective crop wants sub-pixel corners.
 */
record Quad(float[] xy) {

    Quad {
        if (xy.length != 8) {
            throw new IllegalArgumentException("a quad has four corners");
        }
    }

    static Quad of(double x0, double y0, double x1, double y1, double x2, double y2, double x3, double y3) {
        return new Quad(new float[] {(float) x0, (float) y0, (float) x1, (float) y1,
                (float) x2, (float) y2, (float) x3, (float) y3});
    }

    float x(int corner) {
        return xy[2 * corner];
    }

    float y(int corner) {
        return xy[2 * corner + 1];
    }

    /** Distance between two corners. */
    double side(int from, int to) {
        return Math.hypot(x(from) - x(to), y(from) - y(to));
    }

    /** The shorter of two adjacent sides: a line's height, or a vertical column's width. */
    double height() {
        return Math.min(side(0, 1), side(1, 2));
    }

    /** Integer corners as {@code [[x,y]x4]}, for the API. */
    int[][] toIntPoints() {
        int[][] points = new int[4][2];
        for (int i = 0; i < 4; i++) {
            points[i][0] = Math.round(x(i));
            points[i][1] = Math.round(y(i));
        }
        return points;
    }
}
