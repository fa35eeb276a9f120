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

    /**
     * The point at {@code (u, v)} of the unit square mapped onto this quad by the projective transform that
     * takes corners 0..3 to (0,0), (1,0), (1,1), (0,1): the inverse of the line crop's warp, scaled.
     */
    float[] at(double u, double v) {
        double dx1 = x(1) - x(2), dx2 = x(3) - x(2), dx3 = x(0) - x(1) + x(2) - x(3);
        double dy1 = y(1) - y(2), dy2 = y(3) - y(2), dy3 = y(0) - y(1) + y(2) - y(3);
        double det = dx1 * dy2 - dx2 * dy1;
        // a parallelogram (dx3 = dy3 = 0) is the affine case: g = h = 0
        double g = det == 0 ? 0 : (dx3 * dy2 - dx2 * dy3) / det;
        double h = det == 0 ? 0 : (dx1 * dy3 - dx3 * dy1) / det;
        double w = g * u + h * v + 1;
        double x = ((x(1) - x(0) + g * x(1)) * u + (x(3) - x(0) + h * x(3)) * v + x(0)) / w;
        double y = ((y(1) - y(0) + g * y(1)) * u + (y(3) - y(0) + h * y(3)) * v + y(0)) / w;
        return new float[] {(float) x, (float) y};
    }

    /** The quad of {@code (u0..u1) x (v0..v1)} in this quad's unit square, see {@link #at}. */
    Quad part(double u0, double v0, double u1, double v1) {
        float[] a = at(u0, v0), b = at(u1, v0), c = at(u1, v1), d = at(u0, v1);
        return new Quad(new float[] {a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]});
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
